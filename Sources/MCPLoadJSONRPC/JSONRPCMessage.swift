/// A JSON-RPC id: a number or a string, or null in error responses to unparseable requests.
package enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)
    case null

    /// The id a JSON value names; nil for values that cannot be ids (objects, arrays, booleans,
    /// fractions, and numbers beyond 64 bits, which no request of ours ever carries).
    package init?(_ value: JSONValue) {
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

    package var json: JSONValue {
        switch self {
        case .number(let number): .int(number)
        case .string(let text): .string(text)
        case .null: .null
        }
    }

    package var description: String {
        switch self {
        case .number(let number): String(number)
        case .string(let text): "\"\(text)\""
        case .null: "null"
        }
    }
}

/// One message from a server, classified.
package enum JSONRPCMessage: Sendable, Equatable {
    case request(id: JSONRPCID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: JSONRPCID, result: JSONValue)
    case errorResponse(id: JSONRPCID, code: Int64, message: String, data: JSONValue?)

    /// Why a line is not a JSON-RPC 2.0 message. It never quotes the line: the caller knows
    /// which values are secrets and quotes it redacted (the transport's `Failure`).
    package struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        package let reason: String
        /// The line parsed as JSON (it is a JSON-RPC fault, not a JSON one).
        package let isJSON: Bool

        package var description: String { reason }
    }

    /// Classifies one line, or says why it is not JSON-RPC 2.0.
    package static func parse(_ line: [UInt8]) throws(Malformed) -> JSONRPCMessage {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw Malformed(reason: "not JSON (\(error))", isJSON: false)
        }
        return try classify(value)
    }

    /// Classifies a parsed JSON value.
    package static func classify(_ value: JSONValue) throws(Malformed) -> JSONRPCMessage {
        func malformed(_ reason: String) -> Malformed { Malformed(reason: reason, isJSON: true) }
        guard case .object(let members) = value else { throw malformed("not a JSON-RPC object") }
        // A batch (array) is not valid in MCP since 2025-06-18, and never a response to our single requests.
        guard members["jsonrpc"] == .string("2.0") else {
            throw malformed(#"not JSON-RPC 2.0 ("jsonrpc" is not "2.0")"#)
        }
        let id = members["id"].flatMap(JSONRPCID.init)
        if members["id"] != nil, id == nil { throw malformed("the id is neither a string nor a 64-bit integer") }
        if let method = members["method"]?.stringValue {
            if let id, members["id"] != nil, id != .null {
                return .request(id: id, method: method, params: members["params"])
            }
            return .notification(method: method, params: members["params"])
        }
        guard let id else { throw malformed("message has neither method nor id") }
        if let result = members["result"] { return .response(id: id, result: result) }
        if let error = members["error"]?.objectValue {
            guard let code = error["code"]?.intValue else { throw malformed("error response without an integer code") }
            return .errorResponse(
                id: id, code: code, message: error["message"]?.stringValue ?? "", data: error["data"])
        }
        throw malformed("response \(id) has neither result nor error")
    }

    /// The id a response or error answers, if this is one.
    package var responseID: JSONRPCID? {
        switch self {
        case .response(let id, _), .errorResponse(let id, _, _, _): id
        default: nil
        }
    }
}

/// A request's params with their encoding: made once, sent many times (a step that a client
/// renders the same way on every iteration).
package struct EncodedParams: Sendable {
    package let value: JSONValue
    package let bytes: [UInt8]

    package init(_ value: JSONValue) {
        self.value = value
        bytes = JSONWriter.bytes(value)
    }
}

/// Encodes outgoing JSON-RPC messages.
package enum JSONRPCEncoder {
    package static func request(id: JSONRPCID, method: String, params: JSONValue?) -> [UInt8] {
        envelope(id: id, method: method, params: params.map(Params.value))
    }

    /// The same bytes as ``request(id:method:params:)`` with the params' value, their
    /// encoding copied rather than written again.
    package static func request(id: JSONRPCID, method: String, encoded params: EncodedParams) -> [UInt8] {
        envelope(id: id, method: method, params: .encoded(params.bytes))
    }

    package static func notification(method: String, params: JSONValue?) -> [UInt8] {
        envelope(id: nil, method: method, params: params.map(Params.value))
    }

    /// Written member by member, in the writer's sorted key order (`id`, `jsonrpc`, `method`,
    /// `params`), so the bytes are those of the object: a request is encoded for every call,
    /// and building, hashing and sorting a dictionary for four fixed keys is most of its cost.
    private enum Params {
        case value(JSONValue)
        case encoded([UInt8])
    }

    private static func envelope(id: JSONRPCID?, method: String, params: Params?) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(UInt8(ascii: "{"))
        if let id {
            output.append(contentsOf: #""id":"#.utf8)
            JSONWriter.write(id.json, into: &output)
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: #""jsonrpc":"2.0","method":"#.utf8)
        JSONWriter.write(.string(method), into: &output)
        switch params {
        case .value(let value)?:
            output.append(contentsOf: #","params":"#.utf8)
            JSONWriter.write(value, into: &output)
        case .encoded(let bytes)?:
            output.append(contentsOf: #","params":"#.utf8)
            output.append(contentsOf: bytes)
        case nil:
            break
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    package static func result(id: JSONRPCID, _ result: JSONValue) -> [UInt8] {
        encode(["jsonrpc": "2.0", "id": id.json, "result": result])
    }

    package static func error(id: JSONRPCID, code: Int64, message: String) -> [UInt8] {
        encode(["jsonrpc": "2.0", "id": id.json, "error": ["code": .int(code), "message": .string(message)]])
    }

    private static func encode(_ value: JSONValue) -> [UInt8] {
        JSONWriter.bytes(value)
    }
}

/// Standard JSON-RPC error codes.
package enum JSONRPCErrorCode {
    package static let parseError: Int64 = -32700
    package static let invalidRequest: Int64 = -32600
    package static let methodNotFound: Int64 = -32601
    package static let invalidParams: Int64 = -32602
    package static let internalError: Int64 = -32603
}
