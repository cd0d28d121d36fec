import AsyncHTTPClient
import MCPLoadCore
import MCPLoadTransport

/// Opens one session's transport for a virtual client and closes it when the session ends.
enum SessionConnector: Sendable {
    case stdio(StdioLaunch)
    case http(client: HTTPClient, endpoint: String, maxMessageBytes: Int)
    case legacySSE(client: HTTPClient, streamURL: String, maxMessageBytes: Int, setupTimeout: Duration)

    /// What a session left behind besides its own result.
    struct Closing: Sendable {
        var stderrTail: [String] = []
        /// How a stdio server ended; empty for HTTP.
        var termination = ""
    }

    /// Runs `body` on a fresh transport. Throws a `not_sent` failure when none can be opened.
    func withSession<Value: Sendable>(
        _ body: @escaping @Sendable (any MessageTransport) async -> Value
    ) async throws -> (Value, Closing) {
        switch self {
        case .stdio(let launch):
            let completion = try await StdioTransport.withServer(launch) { connection in await body(connection) }
            return (completion.value, Closing(stderrTail: completion.stderrTail, termination: completion.termination))
        case .http(let client, let endpoint, let maxMessageBytes):
            let value = await StreamableHTTPTransport.withSession(
                client: client, endpoint: endpoint, maxMessageBytes: maxMessageBytes, body)
            return (value, Closing())
        case .legacySSE(let client, let streamURL, let maxMessageBytes, let setupTimeout):
            let value = try await LegacySSETransport.withSession(
                client: client, streamURL: streamURL, maxMessageBytes: maxMessageBytes, setupTimeout: setupTimeout, body
            )
            return (value, Closing())
        }
    }
}
