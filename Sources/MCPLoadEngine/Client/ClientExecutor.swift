import MCPLoadCore
import MCPLoadTransport

/// Runs one virtual client: performs each action of its ``ClientStateMachine`` (ask for an
/// iteration, open a session, send a step, sleep, close the session) and feeds back what
/// happened. It measures and records, but decides nothing: every "what next" is the machine's.
struct ClientExecutor: Sendable {
    typealias Action = ClientStateMachine.Action
    typealias Event = ClientStateMachine.Event

    /// 1-based, as `{{vu}}` shows it.
    let index: Int
    let plan: RunPlan
    let sessions: SessionSource

    /// Runs to completion and hands back everything this client measured.
    func run() async -> Recorder {
        let state = ClientState(
            machine: ClientStateMachine(plan.clientConfiguration),
            data: ClientData(
                recorder: plan.makeRecorder(virtualClient: index), canary: plan.canaries.canary(of: index),
                identity: plan.identity(ofClient: index))
        )
        var action = state.machine.start(plan.runContext)
        state.applyEffects(run: plan)
        while !Task.isCancelled {
            let event: Event
            switch action {
            case .finish:
                return state.data.recorder
            case .openSession:
                // The whole session: opened, its steps, closed; then what the machine says.
                action = await session(state)
                continue
            case .awaitIteration:
                event = await awaitIteration(after: state.machine.progress.iteration)
            case .pause(let duration, _):
                try? await plan.clock.sleep(for: duration)
                event = .pauseEnded
            case .closeSession:
                // No session is open (it never started): there is nothing to close.
                event = .sessionClosed
            case .send, .reauthenticate:
                assertionFailure("\(action) with no session open")
                return state.data.recorder
            }
            action = state.machine.handle(event, plan.runContext)
            state.applyEffects(run: plan)
        }
        return state.data.recorder
    }

    /// The session's connection when the event-loop lane can carry its requests: Streamable
    /// HTTP without a `_meta` envelope to merge, on the run's real clock (the lane's deadlines
    /// are the loop's timers; tests on a manual clock stay on the task's path).
    private func laneConnection(
        _ transport: (any MessageTransport)?, _ client: JSONRPCClient
    ) async -> StreamableHTTPConnection? {
        guard plan.clock is RunClock, ClientLane.isEnabled, let http = transport as? StreamableHTTPConnection,
            await !client.usesEnvelope
        else { return nil }
        return http
    }

    /// This client's identity (`auth:`): whose token its sessions present.
    var identity: Identity? {
        guard case .connector(let connector) = sessions else { return nil }
        return connector.identity(ofClient: index)
    }

    /// Leave to start an iteration, from the load model.
    func awaitIteration(after iterations: Int) async -> Event {
        guard let start = await plan.nextIteration(for: index, after: iterations) else { return .iterationRefused }
        return .iterationGranted(start)
    }

    /// One session, opened, run and closed; returns the action after it closed.
    private func session(_ state: ClientState) async -> Action {
        switch sessions {
        case .connector(let connector):
            return await newSession(through: connector, state)
        case .shared(let client):
            return await sharedSession(client, state)
        }
    }

    /// The steps on an open session, until the machine asks to close it. Over Streamable HTTP
    /// (`transport`), runs of requests go to the session's event loop (``ClientLane``).
    func steps(
        on client: JSONRPCClient, transport: (any MessageTransport)? = nil, from first: Action, _ state: ClientState
    ) async {
        let lane = await laneConnection(transport, client)
        var action = first
        while !Task.isCancelled {
            let event: Event
            switch action {
            case .closeSession:
                return
            case .send(let attempt):
                if let lane, ClientLane.canSend(attempt, in: plan),
                    let next = await ClientLane.run(
                        from: action, executor: self, state: state, client: client, connection: lane)
                {
                    action = next
                    continue
                }
                event = await send(attempt, on: client, state)
            case .pause(let duration, _):
                try? await plan.clock.sleep(for: duration)
                event = .pauseEnded
            case .awaitIteration:
                event = await awaitIteration(after: state.machine.progress.iteration)
            case .reauthenticate(let refusal):
                // Without an identity there is nothing to renew: the refusal stands.
                guard let identity else {
                    event = .reauthenticated(refusal)
                    break
                }
                event = .reauthenticated(await identity.recover(from: refusal))
            case .openSession, .finish:
                assertionFailure("\(action) while a session is open")
                return
            }
            action = state.machine.handle(event, plan.runContext)
            state.applyEffects(run: plan)
        }
    }
}

/// Where a client's sessions come from.
enum SessionSource: Sendable {
    /// Opened by the client itself, one after another: a spawned server or a connection, and
    /// the handshake.
    case connector(SessionConnector)
    /// A session of the run's pool (`pool: N`), opened by the run and shared.
    case shared(JSONRPCClient)
}
