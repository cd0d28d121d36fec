import AsyncHTTPClient
import MCPLoadCore

/// Scoped Streamable HTTP sessions: the session is deleted on every path out of the closure.
package enum StreamableHTTPTransport {
    /// Throws `not_sent` for an endpoint no connection can be made to (not an http(s) URL).
    package static func withSession<Value: Sendable>(
        client: HTTPClient, options: HTTPSessionOptions,
        _ body: @Sendable (StreamableHTTPConnection) async -> Value
    ) async throws(Failure) -> Value {
        let connection = try StreamableHTTPConnection(client: client, options: options)
        guard options.listen else {
            let value = await body(connection)
            await connection.close()
            return value
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await connection.listen() }
            let value = await body(connection)
            // The listening stream ends with the session, before the session is deleted.
            group.cancelAll()
            await group.waitForAll()
            await connection.close()
            return value
        }
    }

    /// An HTTP client for a run: one connection per virtual client may be open at once, so
    /// AsyncHTTPClient's default of 8 per host does not cap the load.
    package static func withClient<Value>(
        connectionsPerHost: Int, connectTimeout: Duration, idleTimeout: Duration? = nil,
        _ body: (HTTPClient) async throws -> Value
    ) async throws -> Value {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connectionsPerHost))
        configuration.timeout.connect = .nanoseconds(connectTimeout.nanoseconds)
        // No bytes for this long on a response (an SSE stream included) ends it as a timeout.
        configuration.timeout.read = idleTimeout.map { .nanoseconds($0.nanoseconds) }
        configuration.redirectConfiguration = .disallow
        // A refused connection is an answer ("nothing listens there"), not a reason to keep trying.
        configuration.connectionPool.retryConnectionEstablishment = false
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in try await body(client) }
    }
}
