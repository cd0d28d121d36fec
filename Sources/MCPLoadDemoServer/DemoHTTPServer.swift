import Foundation
import Hummingbird
import Logging
import MCPLoadCore

/// The demo server over HTTP: Streamable HTTP (MCP 2025-03-26 and later) at `/mcp`, stateful
/// or stateless, answering with SSE streams or plain JSON, with HTTP fault knobs; and the
/// legacy HTTP+SSE transport (2024-11-05) at `/sse` and `/messages`; its session count at
/// `/metrics`; with `--oauth`, an authorization server and the metadata documents beside them.
package enum DemoHTTPServer {
    /// Warnings and worse only: a load target that logs every connection measures its logging.
    static var quietLogger: Logger {
        var logger = Logger(label: "mcpload-demo-http")
        logger.logLevel = .warning
        return logger
    }

    /// Serves until cancelled; calls `onListening` with the bound port once it accepts connections.
    package static func run(
        _ options: DemoServerOptions, http: DemoHTTPOptions, onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let state = DemoState(options: options)
        let handler = RequestHandler(options: options, state: state)
        let sessions = DemoSessions(options: http)
        let legacySessions = LegacySSESessions()
        let authorization = http.oauth.map(DemoAuthorizationServer.init(options:))
        let resourceGuard = DemoResourceGuard(requiredBearerToken: http.requiredBearerToken, oauth: authorization)
        let endpoint = MCPEndpoint(handler: handler, sessions: sessions, http: http, resourceGuard: resourceGuard)
        let legacy = LegacySSEEndpoint(
            handler: handler, sessions: legacySessions, http: http, resourceGuard: resourceGuard)
        let metrics = SessionMetrics(
            sessions: sessions, legacy: legacySessions, tokens: authorization?.store, state: state)
        let router = Router()
        if let authorization {
            router.post("token") { request, _ in await authorization.token(request) }
            router.get(".well-known/oauth-authorization-server") { request, _ in
                authorization.authorizationServerMetadata(request)
            }
            // Path-specific first, as clients look for it; the root one for those that do not.
            router.get(".well-known/oauth-protected-resource/mcp") { request, _ in
                authorization.protectedResourceMetadata(request)
            }
            router.get(".well-known/oauth-protected-resource") { request, _ in
                authorization.protectedResourceMetadata(request)
            }
        }
        if let replica = http.replica { router.add(middleware: ReplicaHeader(name: replica)) }
        router.post("mcp") { request, _ in try await endpoint.post(request) }
        router.delete("mcp") { request, _ in await endpoint.delete(request) }
        // GET resumes a cut stream (Last-Event-ID), or opens a session's listening stream.
        router.get("mcp") { request, _ in await endpoint.get(request) }
        // The legacy HTTP+SSE transport (2024-11-05), served beside Streamable HTTP.
        router.get("sse") { request, _ in await legacy.stream(request) }
        router.post("messages") { request, _ in try await legacy.post(request) }
        router.get("metrics") { _, _ in await metrics.page() }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "mcpload-demo"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? http.port) },
            logger: Self.quietLogger)
        // No signal handlers: SIGTERM's default action is the prompt exit a load target should have.
        try await app.runService()
    }
}
