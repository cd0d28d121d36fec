import MCPLoadCore
import MCPLoadTransport

/// Opens one session's transport for a virtual client and closes it when the session ends.
enum SessionConnector: Sendable {
    case stdio(StdioLaunch, ChildProcesses)
    /// Streamable HTTP or legacy HTTP+SSE.
    case http(HTTPSessions)
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

    /// Runs `body` on a fresh transport. Throws a `not_sent` failure when none can be opened.
    func withSession<Value: Sendable>(
        _ body: @escaping @Sendable (any MessageTransport) async -> Value
    ) async throws -> (Value, Closing) {
        switch self {
        case .stdio(let launch, let children):
            let completion = try await StdioTransport.withServer(launch, in: children) { connection in
                await body(connection)
            }
            return (completion.value, Closing(stderrTail: completion.stderrTail, termination: completion.termination))
        case .http(let sessions):
            return (try await sessions.withSession(body), Closing())
        case .fanIn(let servers):
            return (await servers.nextProxy().withClient(body), Closing())
        case .inMemory(let open):
            let transport = try open()
            let value = await body(transport)
            transport.close("the session ended")
            return (value, Closing())
        }
    }
}
