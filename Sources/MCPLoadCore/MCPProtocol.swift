/// What mcpload speaks of MCP: one list, shared by the client and the demo server.
public enum MCPProtocol {
    /// Revisions whose stdio session mcpload implements; a server may answer any of them.
    public static let supportedVersions: Set<String> = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]

    /// Offered in `initialize` unless the scenario says otherwise.
    public static let latestVersion = "2025-11-25"

    public static let clientName = "mcpload"
    public static let clientVersion = "0.1.0"
}
