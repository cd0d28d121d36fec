import MCPLoadCore

/// A JSON-RPC id: a number or a string, or null in error responses to unparseable requests.
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)
    case null

    /// The id a JSON value names; nil for values that cannot be ids (objects, arrays, booleans,
    /// fractions, and numbers beyond 64 bits, which no request of ours ever carries).
    public init?(_ value: JSONValue) {
        switch value {
        case .int(let number): self = .number(number)
        case .double(let number):
            guard let whole = Int64(exactly: number) else { return nil }
            self = .number(whole)
        case .string(let text): self = .string(text)
        case .null: self = .null
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .number(let number): .int(number)
        case .string(let text): .string(text)
        case .null: .null
        }
    }

    public var description: String {
        switch self {
        case .number(let number): String(number)
        case .string(let text): "\"\(text)\""
        case .null: "null"
        }
    }
}

/// One message from a server, classified.
public enum JSONRPCMessage: Sendable, Equatable {
    case request(id: JSONRPCID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: JSONRPCID, result: JSONValue)
    case errorResponse(id: JSONRPCID, code: Int64, message: String, data: JSONValue?)

    /// Classifies one line; throws a `protocol` ``Failure`` when it is not JSON-RPC 2.0, quoting
    /// the line with `redactor`'s secrets hidden.
    public static func parse(_ line: [UInt8], redactor: Redactor = .none) throws(Failure) -> JSONRPCMessage {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw Failure(.protocol, "not JSON (\(error)): \(preview(line, redactor))")
        }
        return try classify(value, line: line, redactor: redactor)
    }

    static func classify(
        _ value: JSONValue, line: [UInt8], redactor: Redactor = .none
    ) throws(Failure) -> JSONRPCMessage {
        func preview(_ line: [UInt8]) -> String { Self.preview(line, redactor) }
        guard case .object(let members) = value else {
            throw Failure(.protocol, "not a JSON-RPC object: \(preview(line))")
        }
        // A batch (array) is not valid in MCP since 2025-06-18, and never a response to our single requests.
        guard members["jsonrpc"] == .string("2.0") else {
            throw Failure(.protocol, "not JSON-RPC 2.0 (\"jsonrpc\" is not \"2.0\"): \(preview(line))")
        }
        let id = members["id"].flatMap(JSONRPCID.init)
        if members["id"] != nil, id == nil {
            throw Failure(.protocol, "the id is neither a string nor a 64-bit integer: \(preview(line))")
        }
        if let method = members["method"]?.stringValue {
            if let id, members["id"] != nil, id != .null {
                return .request(id: id, method: method, params: members["params"])
            }
            return .notification(method: method, params: members["params"])
        }
        guard let id else { throw Failure(.protocol, "message has neither method nor id: \(preview(line))") }
        if let result = members["result"] { return .response(id: id, result: result) }
        if let error = members["error"]?.objectValue {
            guard let code = error["code"]?.intValue else {
                throw Failure(.protocol, "error response without an integer code: \(preview(line))")
            }
            return .errorResponse(
                id: id, code: code, message: error["message"]?.stringValue ?? "", data: error["data"])
        }
        throw Failure(.protocol, "response \(id) has neither result nor error")
    }

    /// The id a response or error answers, if this is one.
    public var responseID: JSONRPCID? {
        switch self {
        case .response(let id, _), .errorResponse(let id, _, _, _): id
        default: nil
        }
    }

    /// At most 120 characters of a line, for error messages: redacted, then cut.
    static func preview(_ line: [UInt8], _ redactor: Redactor) -> String {
        redactor.excerpt(line, limit: 120)
    }
}

/// Encodes outgoing JSON-RPC messages.
public enum JSONRPCEncoder {
    public static func request(id: JSONRPCID, method: String, params: JSONValue?) -> [UInt8] {
        envelope(id: id, method: method, params: params)
    }

    public static func notification(method: String, params: JSONValue?) -> [UInt8] {
        envelope(id: nil, method: method, params: params)
    }

    /// Written member by member, in the writer's sorted key order (`id`, `jsonrpc`, `method`,
    /// `params`), so the bytes are those of the object: a request is encoded for every call,
    /// and building, hashing and sorting a dictionary for four fixed keys is most of its cost.
    private static func envelope(id: JSONRPCID?, method: String, params: JSONValue?) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        output.append(UInt8(ascii: "{"))
        if let id {
            output.append(contentsOf: #""id":"#.utf8)
            JSONWriter.write(id.json, into: &output)
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: #""jsonrpc":"2.0","method":"#.utf8)
        JSONWriter.write(.string(method), into: &output)
        if let params {
            output.append(contentsOf: #","params":"#.utf8)
            JSONWriter.write(params, into: &output)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    public static func result(id: JSONRPCID, _ result: JSONValue) -> [UInt8] {
        encode(["jsonrpc": "2.0", "id": id.json, "result": result])
    }

    public static func error(id: JSONRPCID, code: Int64, message: String) -> [UInt8] {
        encode(["jsonrpc": "2.0", "id": id.json, "error": ["code": .int(code), "message": .string(message)]])
    }

    private static func encode(_ value: JSONValue) -> [UInt8] {
        JSONWriter.bytes(value)
    }
}

/// Standard JSON-RPC error codes.
public enum JSONRPCErrorCode {
    public static let parseError: Int64 = -32700
    public static let invalidRequest: Int64 = -32600
    public static let methodNotFound: Int64 = -32601
    public static let invalidParams: Int64 = -32602
    public static let internalError: Int64 = -32603
}
