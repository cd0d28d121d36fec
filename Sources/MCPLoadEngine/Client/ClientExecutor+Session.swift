import MCPLoadCore
import MCPLoadTransport

extension ClientExecutor {
    /// A session the client opens itself: the server spawned or the connection made, the
    /// handshake, the steps, then the session's end, all measured.
    func newSession(
        through connector: SessionConnector, _ machine: inout ClientStateMachine, _ data: inout ClientData
    ) async -> Action {
        let setupStarted = plan.clock.now
        // The client's state is moved into the session and back out of it, never copied: a copy
        // left behind shares the recorder's buffers, and the session's first write to them would
        // duplicate every one (a recorder's worth of memory per client, for as long as the session).
        let handOff = Locked<ClientState?>(ClientState(machine: machine, data: data))
        data = ClientData(recorder: Recorder(virtualClient: index, steps: []), canary: "")
        var failure: Failure?
        var opened = false
        do {
            let (wasOpened, completion) = try await connector.withSession { transport in
                await self.drive(on: transport, handOff, setupStarted: setupStarted)
            }
            opened = wasOpened
            var lines = completion.stderrTail
            if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                lines.append("[server process ended: \(completion.termination)]")
            }
            handOff.withLock { $0?.data.recorder.appendStderr(lines) }
            log(opened: opened, termination: completion.termination)
        } catch {
            failure = (error as? Failure) ?? Failure(.notSent, "cannot start server: \(error)")
        }
        // The session's scope hands the state back on every path: drive() returns it before the
        // scope ends, and a scope that never ran its body leaves it where it was put.
        if let state = handOff.withLock({ state in
            defer { state = nil }; return state
        }) {
            (machine, data) = (state.machine, state.data)
        } else {
            assertionFailure("client \(index): the session kept the client's state")
        }
        if opened {
            data.recorder.session.closed += 1
            plan.live.sessionClosed()
        }
        if let failure {
            plan.logger.info("client \(index): \(plan.redactor.redact(failure.message))")
            data.recorder.recordSessionFailed(failure)
            let action = machine.handle(.sessionFailed(failure), plan.runContext)
            data.apply(machine.effects, run: plan)
            // Nothing was started, so the close the machine asks for is done already.
            guard action == .closeSession else { return action }
        }
        let action = machine.handle(.sessionClosed, plan.runContext)
        data.apply(machine.effects, run: plan)
        return action
    }

    /// Inside the session's scope: the handshake, then the steps until the machine asks to close.
    /// Takes the client's state from `handOff` and puts it back when done; returns whether the
    /// handshake completed.
    private func drive(
        on transport: any MessageTransport, _ handOff: Locked<ClientState?>, setupStarted: Duration
    ) async -> Bool {
        guard
            var state = handOff.withLock({ state in
                defer { state = nil }; return state
            })
        else { return false }
        let client = JSONRPCClient(transport: transport, redactor: plan.redactor, clock: plan.clock)
        let opened = await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let failure = await handshake(
                on: client, setupStarted: setupStarted, iteration: state.machine.progress.iteration, &state.data)
            let action = state.machine.handle(failure.map(Event.sessionFailed) ?? .sessionOpened, plan.runContext)
            state.data.apply(state.machine.effects, run: plan)
            await steps(on: client, from: action, &state.machine, &state.data)
            state.data.recorder.protocolTraffic.merge(await client.traffic)
            if let replicas = transport.replicas { state.data.recorder.mergeReplicas(replicas) }
            // Stops the reader: the session is over whether or not the server has hung up.
            group.cancelAll()
            return failure == nil
        }
        handOff.withLock { $0 = state }
        return opened
    }

    /// The MCP handshake, measured from the session's start (a spawn or a connection included);
    /// the failure when it failed. A function of its own so that its frame (the handshake holds
    /// the scenario) is gone while the session's steps run.
    private func handshake(
        on client: JSONRPCClient, setupStarted: Duration, iteration: Int, _ data: inout ClientData
    ) async -> Failure? {
        let handshake = SessionHandshake(
            scenario: plan.scenario, context: data.templateContext(virtualClient: index, iteration: iteration))
        let remaining = plan.scenario.session.setupTimeout - (plan.clock.now - setupStarted)
        switch await handshake.perform(on: client, timeout: max(remaining, .milliseconds(1)), clock: plan.clock) {
        case .success(let established):
            data.recorder.recordSessionOpened(
                setup: plan.clock.now - setupStarted, protocolVersion: established.protocolVersion)
            plan.live.sessionOpened()
            return nil
        case .failure(let failure):
            data.recorder.recordSessionFailed(failure)
            return failure
        }
    }

    /// A session of the run's pool: used while it lives; when it is gone, so is the client's work.
    func sharedSession(
        _ client: JSONRPCClient, _ machine: inout ClientStateMachine, _ data: inout ClientData
    ) async
        -> Action
    {
        var action = machine.handle(await client.closure == nil ? .sessionOpened : .sessionLost, plan.runContext)
        data.apply(machine.effects, run: plan)
        guard action != .finish else { return action }
        await steps(on: client, from: action, &machine, &data)
        // The pool's sessions are the run's to close.
        action = machine.handle(.sessionClosed, plan.runContext)
        data.apply(machine.effects, run: plan)
        return action
    }

    private func log(opened: Bool, termination: String) {
        let logger = plan.logger
        if !opened {
            logger.info("client \(index): session could not be opened; server \(termination)")
        } else if !termination.isEmpty && termination != "exited(0)" {
            logger.info("client \(index): server ended abnormally: \(termination)")
        } else {
            logger.debug("client \(index): session ended; server \(termination)")
        }
    }
}
