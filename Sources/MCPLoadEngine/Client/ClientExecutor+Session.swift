import MCPLoadCore
import MCPLoadTransport

extension ClientExecutor {
    /// A session the client opens itself: the server spawned or the connection made, the
    /// handshake, the steps, then the session's end, all measured.
    func newSession(through connector: SessionConnector, _ state: ClientState) async -> Action {
        let setupStarted = plan.clock.now
        var failure: Failure?
        var opened = false
        do {
            // A client whose identity has no token yet gets one first (or the reason why not).
            if let identity, let missing = await identity.ensureToken() { throw missing }
            let (wasOpened, completion) = try await connector.withSession(for: index) { transport in
                await self.drive(on: transport, state, setupStarted: setupStarted)
            }
            opened = wasOpened
            var lines = completion.stderrTail
            if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                lines.append("[server process ended: \(completion.termination)]")
            }
            state.data.recorder.appendStderr(lines)
            log(opened: opened, termination: completion.termination)
        } catch {
            failure = (error as? Failure) ?? Failure(.notSent, "cannot start server: \(error)")
        }
        if opened {
            state.data.recorder.session.closed += 1
            plan.live.sessionClosed()
        }
        if let failure {
            plan.logger.info("client \(index): \(plan.redactor.redact(failure.message))")
            state.data.recorder.recordSessionFailed(failure)
            let action = state.machine.handle(.sessionFailed(failure), plan.runContext)
            state.applyEffects(run: plan)
            // Nothing was started, so the close the machine asks for is done already.
            guard action == .closeSession else { return action }
        }
        let action = state.machine.handle(.sessionClosed, plan.runContext)
        state.applyEffects(run: plan)
        return action
    }

    /// Inside the session's scope: the handshake, then the steps until the machine asks to
    /// close. Returns whether the handshake completed.
    private func drive(on transport: any MessageTransport, _ state: ClientState, setupStarted: Duration) async -> Bool {
        let client = JSONRPCClient(transport: transport, redactor: plan.redactor, clock: plan.clock)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let failure = await handshake(
                on: client, setupStarted: setupStarted, iteration: state.machine.progress.iteration, state)
            if let failure, failure.failureClass == .auth, let identity {
                // The next session presents a new token (or the refusal stands for it, too).
                _ = await identity.recover(from: failure, retrying: false)
            }
            let action = state.machine.handle(failure.map(Event.sessionFailed) ?? .sessionOpened, plan.runContext)
            state.applyEffects(run: plan)
            await steps(on: client, transport: transport, from: action, state)
            state.data.recorder.protocolTraffic.merge(await client.traffic)
            if let replicas = transport.replicas { state.data.recorder.mergeReplicas(replicas) }
            // Stops the reader: the session is over whether or not the server has hung up.
            group.cancelAll()
            return failure == nil
        }
    }

    /// The MCP handshake, measured from the session's start (a spawn or a connection included);
    /// the failure when it failed. A function of its own so that its frame (the handshake holds
    /// the scenario) is gone while the session's steps run.
    private func handshake(
        on client: JSONRPCClient, setupStarted: Duration, iteration: Int, _ state: ClientState
    ) async -> Failure? {
        let handshake = SessionHandshake(
            scenario: plan.scenario,
            context: state.data.templateContext(virtualClient: plan.globalVirtualClient(index), iteration: iteration))
        let remaining = plan.scenario.session.setupTimeout - (plan.clock.now - setupStarted)
        switch await handshake.perform(on: client, timeout: max(remaining, .milliseconds(1)), clock: plan.clock) {
        case .success(let established):
            state.data.recorder.recordSessionOpened(
                setup: plan.clock.now - setupStarted, protocolVersion: established.protocolVersion)
            plan.live.sessionOpened()
            return nil
        case .failure(let failure):
            state.data.recorder.recordSessionFailed(failure)
            return failure
        }
    }

    /// A session of the run's pool: used while it lives; when it is gone, so is the client's work.
    func sharedSession(_ client: JSONRPCClient, _ state: ClientState) async -> Action {
        var action = state.machine.handle(await client.closure == nil ? .sessionOpened : .sessionLost, plan.runContext)
        state.applyEffects(run: plan)
        guard action != .finish else { return action }
        await steps(on: client, from: action, state)
        // The pool's sessions are the run's to close.
        action = state.machine.handle(.sessionClosed, plan.runContext)
        state.applyEffects(run: plan)
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
