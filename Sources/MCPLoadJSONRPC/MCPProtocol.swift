/// What mcpload speaks of MCP: one list, shared by the client and the demo server.
package enum MCPProtocol {
    /// Revisions whose stdio session mcpload implements; a server may answer any of them.
    package static let supportedVersions: Set<String> = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]

    /// Offered in `initialize` unless the scenario says otherwise.
    package static let latestVersion = "2025-11-25"

    /// The stateless revision: no handshake, no session; every request carries `_meta`.
    package static let statelessVersion = "2026-07-28"

    /// `protocolVersion: auto`: probe `server/discover`, fall back to `initialize`.
    package static let automaticVersion = "auto"

    /// The `_meta` keys every 2026-07-28 request carries.
    package enum MetaKey {
        package static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
        package static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
        package static let clientInfo = "io.modelcontextprotocol/clientInfo"
    }

    /// Error codes the 2026-07-28 revision defines.
    package enum ErrorCode {
        package static let headerMismatch: Int64 = -32020
        package static let missingRequiredClientCapability: Int64 = -32021
        package static let unsupportedProtocolVersion: Int64 = -32022

        /// A readable name for MCP's own codes, for failure messages.
        package static func name(of code: Int64) -> String? {
            switch code {
            case headerMismatch: "header mismatch"
            case missingRequiredClientCapability: "missing required client capability"
            case unsupportedProtocolVersion: "unsupported protocol version"
            default: nil
            }
        }
    }

    package static let clientName = "mcpload"
    package static let clientVersion = "0.1.0"
}
