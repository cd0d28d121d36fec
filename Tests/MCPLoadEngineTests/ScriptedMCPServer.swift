import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport
import Synchronization

@testable import MCPLoadEngine

/// An MCP server in memory, for running the real client executor without a process or a
/// socket: it answers the handshake, then every request as `reply` says, and counts what it got.
final class ScriptedMCPServer: Sendable {
    enum Reply: Sendable {
        case result(JSONValue)
        case error(code: Int64, message: String)
        /// The transport fails the write, as HTTP does with a status (`http_status`, 429, 404…).
        case fail(Failure)
        /// No answer at all.
        case silence
        /// The server's side ends: the session's transport closes.
        case crash
    }

    private struct State {
        var sessionsOpened = 0
        var refusals = 0
        var requests: [String] = []
    }

    private let state = Mutex(State())
    /// The reply to each request after the handshake: from its method and how many such
    /// requests came before it (0 for the first).
    private let reply: @Sendable (_ method: String, _ earlier: Int) -> Reply
    /// Sessions the server refuses to open before it accepts them.
    private let refusedSessions: Int

    init(refusing refusedSessions: Int = 0, reply: @escaping @Sendable (_ method: String, _ earlier: Int) -> Reply) {
        self.refusedSessions = refusedSessions
        self.reply = reply
    }

    var connector: SessionConnector { .inMemory(open: { () throws(Failure) in try self.open() }) }

    var sessionsOpened: Int { state.withLock { $0.sessionsOpened } }
    var requests: [String] { state.withLock { $0.requests } }

    private func open() throws(Failure) -> InMemoryTransport {
        let refuse = state.withLock { state -> Bool in
            guard state.refusals < refusedSessions else { return false }
            state.refusals += 1
            return true
        }
        if refuse { throw Failure(.notSent, "the scripted server refused the session") }
        state.withLock { $0.sessionsOpened += 1 }
        let box = Locked<InMemoryTransport?>(nil)
        let transport = InMemoryTransport { [self] bytes throws(Failure) in
            guard let transport = box.withLock({ $0 }) else { return }
            try self.receive(bytes, on: transport)
        }
        box.withLock { $0 = transport }
        return transport
    }

    private func receive(_ bytes: [UInt8], on transport: InMemoryTransport) throws(Failure) {
        guard case .request(let id, let method, _)? = try? JSONRPCMessage.parse(bytes) else { return }
        if method == "initialize" {
            transport.deliver(answer(id, ["protocolVersion": "2025-06-18", "capabilities": [:]]))
            return
        }
        let earlier = state.withLock { state -> Int in
            defer { state.requests.append(method) }
            return state.requests.filter { $0 == method }.count
        }
        switch reply(method, earlier) {
        case .result(let result): transport.deliver(answer(id, result))
        case .error(let code, let message):
            transport.deliver(
                String(decoding: JSONRPCEncoder.error(id: id, code: code, message: message), as: UTF8.self))
        case .fail(let failure): throw failure
        case .silence: break
        case .crash: transport.close("the scripted server crashed")
        }
    }

    private func answer(_ id: JSONRPCID, _ result: JSONValue) -> String {
        String(decoding: JSONRPCEncoder.result(id: id, result), as: UTF8.self)
    }

    static let echoed: JSONValue = ["content": [["type": "text", "text": "ok"]], "isError": false]
}

/// One virtual client of a scenario against a scripted server, on a manual clock.
enum InMemoryRun {
    static func client(
        _ yaml: String, server: ScriptedMCPServer, clock: ManualClock, index: Int = 1
    ) throws -> Task<Recorder, Never> {
        let scenario = try TestSupport.scenario(yaml)
        let control = RunControl(
            iterationsPerClient: scenario.load.iterations, duration: scenario.load.duration, clock: clock)
        let plan = RunPlan(
            scenario: scenario, target: .stdio(StdioLaunch(command: ["in-memory"])), control: control)
        return Task { await ClientExecutor(index: index, plan: plan, sessions: .connector(server.connector)).run() }
    }
}
