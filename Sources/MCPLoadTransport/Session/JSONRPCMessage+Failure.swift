import MCPLoadCore
import MCPLoadJSONRPC

extension JSONRPCMessage {
    /// Classifies a server's line for a session; what is not JSON-RPC 2.0 is a `protocol`
    /// failure quoting at most 120 characters of the line, redacted before it is cut.
    package static func parse(_ line: [UInt8], redactor: Redactor) throws(Failure) -> JSONRPCMessage {
        do {
            return try parse(line)
        } catch {
            throw Failure(.protocol, "\(error.reason): \(redactor.excerpt(line, limit: 120))")
        }
    }
}
