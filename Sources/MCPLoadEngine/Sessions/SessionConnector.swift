import MCPLoadCore
import MCPLoadTransport

/// Opens one session's transport for a virtual client and closes it when the session ends.
enum SessionConnector: Sendable {
    case stdio(StdioLaunch, ChildProcesses)
    /// Streamable HTTP or legacy HTTP+SSE; with `auth:`, each client's identity.
    case http(HTTPSessions, IdentityRegistry? = nil)
    /// Through the fan-in proxy to a shared server process.
    case fanIn(SharedServers)
    /// A transport in memory from `open` (a scripted server in a test): no process, no socket.
    /// `open` throws when the scripted server refuses the session; the transport is closed when
    /// the session ends.
    case inMemory(open: @Sendable () throws(Failure) -> InMemoryTransport)

    /// What a session left behind besides its own result.
    struct Closing: Sendable {
        var stderrTail: [String] = []
        /// How a stdio server ended; empty for HTTP.
        var termination = ""
    }

    /// Runs `body` on a fresh transport for client `virtualClient` (its identity's token, if
    /// any, rides on every request). Throws a `not_sent` failure when none can be opened.
    func withSession<Value: Sendable>(
        for virtualClient: Int, _ body: @escaping @Sendable (any MessageTransport) async -> Value
    ) async throws -> (Value, Closing) {
        switch self {
        case .stdio(let launch, let children):
            let completion = try await StdioTransport.withServer(launch, in: children) { connection in
                await body(connection)
            }
            return (completion.value, Closing(stderrTail: completion.stderrTail, termination: completion.termination))
        case .http(let sessions, let identities):
            let credential = identities?.identity(ofClient: virtualClient)?.credential
            return (try await sessions.withSession(credential: credential, body), Closing())
        case .fanIn(let servers):
            return (await servers.nextProxy().withClient(body), Closing())
        case .inMemory(let open):
            let transport = try open()
            let value = await body(transport)
            transport.close("the session ended")
            return (value, Closing())
        }
    }

    /// Client `virtualClient`'s identity, when the run has identities.
    func identity(ofClient virtualClient: Int) -> Identity? {
        guard case .http(_, let identities?) = self else { return nil }
        return identities.identity(ofClient: virtualClient)
    }
}
