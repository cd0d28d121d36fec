import MCPLoadCore
import MCPLoadTransport

extension ClientExecutor {
    /// A session the client opens itself: the server spawned or the connection made, the
    /// handshake, the steps, then the session's end, all measured.
    func newSession(
        through connector: SessionConnector, _ machine: inout ClientStateMachine, _ data: inout ClientData
    ) async -> Action {
        let setupStarted = plan.clock.now
        let start = (machine, data)
        do {
            let ((after, opened), completion) = try await connector.withSession { transport in
                await self.drive(on: transport, start, setupStarted: setupStarted)
            }
            (machine, data) = after
            if opened {
                data.recorder.session.closed += 1
                plan.live.sessionClosed()
            }
            var lines = completion.stderrTail
            if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                lines.append("[server process ended: \(completion.termination)]")
            }
            data.recorder.appendStderr(lines)
            log(opened: opened, termination: completion.termination)
        } catch {
            let failure = (error as? Failure) ?? Failure(.notSent, "cannot start server: \(error)")
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
    /// Returns the machine and data as they are then, and whether the handshake completed.
    private func drive(
        on transport: any MessageTransport, _ start: (ClientStateMachine, ClientData), setupStarted: Duration
    ) async -> ((ClientStateMachine, ClientData), Bool) {
        let client = JSONRPCClient(transport: transport, redactor: plan.redactor, clock: plan.clock)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            var (machine, data) = start
            let opened = await handshake(
                on: client, setupStarted: setupStarted, iteration: machine.progress.iteration, &data)
            let action = machine.handle(opened.map(Event.sessionFailed) ?? .sessionOpened, plan.runContext)
            data.apply(machine.effects, run: plan)
            await steps(on: client, from: action, &machine, &data)
            data.recorder.protocolTraffic.merge(await client.traffic)
            if let replicas = transport.replicas { data.recorder.mergeReplicas(replicas) }
            // Stops the reader: the session is over whether or not the server has hung up.
            group.cancelAll()
            return ((machine, data), opened == nil)
        }
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
