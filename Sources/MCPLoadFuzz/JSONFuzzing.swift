import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport

/// The JSON parser, and the writer as its inverse: whatever parses, written and parsed again,
/// is the same value.
enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        let written = JSONWriter.bytes(value)
        guard let again = try? JSONParser.parse(written) else {
            preconditionFailure("the writer's output does not parse: \(String(decoding: written, as: UTF8.self))")
        }
        precondition(equivalent(value, again), "a value changed on its way through the writer")
    }

    /// Equal, with doubles compared by bits' meaning (-0.0 and 0.0 alike, NaN never occurs).
    private static func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.double(let left), .double(let right)): return left == right
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)): return Double(left) == right
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equivalent($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count
                && left.allSatisfy { key, value in right[key].map { equivalent(value, $0) } ?? false }
        default: return lhs == rhs
        }
    }
}

/// JSON-RPC classification of a server's message: a class or a protocol failure, nothing else.
enum JSONRPCFuzzing {
    static func run(_ bytes: [UInt8]) {
        do {
            let message = try JSONRPCMessage.parse(bytes, redactor: Redactor(secrets: ["secret-value"]))
            if let id = message.responseID { _ = id.description }
        } catch {
            precondition(error.failureClass == .protocol, "a message failed outside the protocol class")
            precondition(!error.message.contains("secret-value"), "a failure quoted a secret")
        }
    }
}
