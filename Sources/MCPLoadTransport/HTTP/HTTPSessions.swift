import AsyncHTTPClient
import MCPLoadCore

/// The two ways MCP runs over HTTP.
package enum HTTPKind: Sendable, Equatable {
    /// Streamable HTTP: `endpoint` takes POSTs.
    case streamable
    /// Legacy HTTP+SSE: `endpoint` is the GET stream, which names where to POST.
    case legacySSE
}

/// What a run's HTTP sessions share: the kind of transport, the options and one HTTP client.
/// The engine opens sessions through it without knowing which HTTP library carries them.
package struct HTTPSessions: Sendable {
    package let kind: HTTPKind
    package let options: HTTPSessionOptions
    let client: HTTPClient

    /// Runs `body` with sessions for up to `virtualClients` at once: one connection each may be
    /// open, two when a session also holds a stream (legacy SSE, a listening stream).
    package static func with<Value>(
        _ kind: HTTPKind, options: HTTPSessionOptions, virtualClients: Int,
        _ body: (HTTPSessions) async throws -> Value
    ) async throws -> Value {
        let connectionsPerSession = kind == .legacySSE || options.listen ? 2 : 1
        return try await StreamableHTTPTransport.withClient(
            connectionsPerHost: virtualClients * connectionsPerSession,
            connectTimeout: options.connectTimeout, idleTimeout: options.streamIdleTimeout
        ) { client in
            try await body(HTTPSessions(kind: kind, options: options, client: client))
        }
    }

    /// Runs `body` on a new session, presenting `credential`'s token when given; throws a
    /// `not_sent` failure when none can be opened.
    package func withSession<Value: Sendable>(
        credential: BearerCredential? = nil, _ body: @escaping @Sendable (any MessageTransport) async -> Value
    ) async throws(Failure) -> Value {
        var options = options
        options.credential = credential
        switch kind {
        case .streamable: return try await StreamableHTTPTransport.withSession(client: client, options: options, body)
        case .legacySSE: return try await LegacySSETransport.withSession(client: client, options: options, body)
        }
    }

    /// Waits until `server` (started by mcpload) answers HTTP at the endpoint, or exits.
    package func waitUntilListening(_ server: StdioConnection, within timeout: Duration) async -> Result<Void, Failure>
    {
        await HTTPReadiness.wait(for: options, client: client, server: server, within: timeout)
    }
}
