import MCPLoadCore
import MCPLoadTransport

/// One session of one virtual client, from handshake to the point it must end.
struct SessionScope: Sendable {
    let virtualClient: Int
    let plan: RunPlan
    let setupStarted: ContinuousClock.Instant

    enum End: Sendable, Equatable {
        /// The client has no more iterations to run.
        case finished
        /// A `reconnect` step: continue on a new session.
        case reopen
        /// The connection failed; the next iteration needs a new session.
        case broken
    }

    /// Runs steps on the connection until the session ends; returns the client's progress.
    func run(on transport: any MessageTransport, from start: ClientProgress) async -> (ClientProgress, End) {
        let client = JSONRPCClient(transport: transport, redactor: plan.redactor)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            var progress = start
            let end = await drive(client, &progress)
            progress.recorder.protocolTraffic.merge(await client.traffic)
            // Stops the reader: the session is over whether or not the server has hung up.
            group.cancelAll()
            return (progress, end)
        }
    }

    /// Runs steps on a session of the run's pool, opened (and handshaken) by ``SessionPool``.
    func run(onShared client: JSONRPCClient, from start: ClientProgress) async -> (ClientProgress, End) {
        var progress = start
        var lifecycle = SessionLifecycle()
        lifecycle.opened(protocolVersion: "pooled")
        let end = await runSteps(client, &progress, lifecycle: lifecycle)
        return (progress, end)
    }

    private func drive(_ client: JSONRPCClient, _ progress: inout ClientProgress) async -> End {
        guard let lifecycle = await open(client, &progress) else { return .broken }
        return await runSteps(client, &progress, lifecycle: lifecycle)
    }

    /// The handshake; nil when it failed. A function of its own so that its frame (the
    /// handshake holds the scenario) is gone while the session's steps run.
    private func open(_ client: JSONRPCClient, _ progress: inout ClientProgress) async -> SessionLifecycle? {
        var lifecycle = SessionLifecycle()
        let clock = ContinuousClock()
        let handshake = SessionHandshake(
            scenario: plan.scenario, context: progress.templateContext(virtualClient: virtualClient))
        let remaining = plan.scenario.session.setupTimeout - (clock.now - setupStarted)
        switch await handshake.perform(on: client, timeout: max(remaining, .milliseconds(1))) {
        case .success(let established):
            lifecycle.opened(protocolVersion: established.protocolVersion)
            progress.recorder.recordSessionOpened(
                setup: clock.now - setupStarted, protocolVersion: established.protocolVersion)
            plan.live.sessionOpened()
            if progress.recorder.session.attempts == 1 { plan.live.clientSettled() }
            progress.consecutiveSetupFailures = 0
            return lifecycle
        case .failure(let failure):
            progress.recorder.recordSessionFailed(failure)
            if progress.recorder.session.attempts == 1 { plan.live.clientSettled() }
            progress.consecutiveSetupFailures += 1
            progress.abandonIteration()
            return nil
        }
    }

    /// The steps, iteration after iteration, until the session must end.
    private func runSteps(
        _ client: JSONRPCClient, _ progress: inout ClientProgress, lifecycle start: SessionLifecycle
    )
        async -> End
    {
        var lifecycle = start
        // Only what the loop reads: a copy of the whole scenario would sit in this frame.
        let steps = plan.scenario.steps
        let strategy = plan.scenario.session.strategy
        while true {
            if progress.step >= steps.count { await finishIteration(&progress) }
            if progress.isMidIteration {
                if plan.control.isDraining {
                    progress.abandonIteration()
                    return .finished
                }
            } else {
                if progress.nextStart == nil {
                    progress.nextStart = await plan.nextIteration(for: virtualClient, after: progress.iteration)
                }
                guard progress.beginIteration(at: ContinuousClock.now) else { return .finished }
                if let lag = progress.startLag {
                    progress.recorder.startLag = progress.recorder.startLag ?? LatencyHistogram()
                    progress.recorder.startLag?.record(lag)
                }
            }
            while progress.step < steps.count {
                let index = progress.step
                let step = steps[index]
                switch lifecycle.decide(step.action) {
                case .skip:
                    break
                case .pause(let pause):
                    try? await Task.sleep(for: pause)
                case .reopen:
                    progress.step += 1
                    // A reconnect that ends an iteration completes it here, so no session is
                    // opened just to find that the run is over.
                    if progress.step >= steps.count { await finishIteration(&progress) }
                    return .reopen
                case .abandonIteration:
                    progress.abandonIteration()
                    return .broken
                case .send:
                    let sent = await send(step, at: index, on: client, progress: &progress)
                    guard case .done(let outcome) = sent else {
                        // resend-history: a new session, the iteration replayed from its start.
                        progress.step = 0
                        return .reopen
                    }
                    if outcome.failure?.failureClass == .httpStatus && outcome.failure?.code == 404 {
                        progress.recorder.session.expired += 1
                    }
                    if lifecycle.attempted(outcome) == .abandonIteration {
                        progress.abandonIteration()
                        return .broken
                    }
                    if strategy == .perRequest && step.isRequest {
                        progress.step += 1
                        if progress.step >= steps.count { await finishIteration(&progress) }
                        return .reopen
                    }
                }
                progress.step += 1
            }
            await finishIteration(&progress)
            if strategy != .perClient { return .reopen }
        }
    }

    private func finishIteration(_ progress: inout ClientProgress) async {
        progress.completeIteration()
        let think = plan.scenario.load.thinkTime
        // The open model's schedule paces iterations; think time is the closed model's pace.
        guard think > .zero, plan.arrivals == nil, plan.control.mayStartIteration(after: progress.iteration) else {
            return
        }
        // Think time paces one client; a cancelled run must not wait it out, so the error is moot.
        try? await Task.sleep(for: think)
    }

    /// What became of a step: its outcome, or (resend-history) the session must be replaced and
    /// the iteration replayed.
    private enum Sent {
        case done(Outcome)
        case resendHistory
    }

    private func send(
        _ step: Step, at index: Int, on client: JSONRPCClient, progress: inout ClientProgress
    ) async
        -> Sent
    {
        let context = progress.templateContext(virtualClient: virtualClient)
        switch step.action {
        case .notify(let method, let params):
            if case .failure(let failure) = await client.notify(method, params: params?.render(in: context)) {
                return .done(.failure(failure))
            }
            return .done(.success)
        case .raw(let text, false):
            let reply = await client.sendRaw(text.render(in: context), awaiting: nil, timeout: .zero)
            if case .failed(let failure) = reply.answer { return .done(.failure(failure)) }
            return .done(.success)
        default:
            let timeout = step.timeout ?? plan.scenario.session.requestTimeout
            // A replayed iteration: earlier steps are re-sends, the failed one its next attempt.
            var attempt = 1
            var isResend = false
            if let replay = progress.replay {
                isResend = true
                if index == replay.failedStep {
                    attempt = replay.attempt
                    progress.replay = nil
                }
            }
            while true {
                let history = plan.scenario.history.flatMap { carry in
                    progress.transcript.isEmpty
                        ? nil
                        : HistoryCarry.Payload(
                            carry: carry, transcript: progress.transcript, bytes: progress.transcriptBytes)
                }
                var performed = await StepRunner.perform(
                    step, at: index, on: client, context: context, timeout: timeout, history: history)
                performed.sample.bytesCarried = performed.bytesCarried
                performed.sample.startLag = progress.startLag
                performed.sample.isRetry = attempt > 1 || isResend
                progress.recorder.record(performed.sample)
                plan.live.record(performed.sample)
                if let scanner = plan.leakScanner {
                    LeakAccounting.record(
                        request: performed.request, answer: performed.answer, step: step.label, scanner: scanner,
                        plan: plan, virtualClient: virtualClient, progress: &progress)
                }
                // Audited whatever the step's checks said: the listing is what the client got.
                if case .listTools = step.action, let listing = performed.answer {
                    if progress.recorder.toolSurface == nil { progress.recorder.toolSurface = ToolSurfaceTally() }
                    progress.recorder.toolSurface?.observe(listResult: listing)
                }
                progress.captured.merge(performed.captured) { _, new in new }
                if plan.scenario.history != nil, let method = performed.method {
                    progress.record(
                        exchange: HistoryCarry.entry(
                            method: method, params: performed.ownParams, answer: performed.answer))
                }
                guard let policy = plan.scenario.retry, let failure = performed.sample.outcome.failure,
                    attempt < policy.attempts, policy.retries(failure), !plan.control.isDraining,
                    policy.mode == .resendHistory || !SessionLifecycle.endsSession(failure)
                else { return .done(performed.sample.outcome) }
                let wait = policy.delay(
                    beforeRetry: attempt, retryAfter: failure.retryAfter, unit: Double.random(in: 0...1))
                try? await Task.sleep(for: wait)
                if policy.mode == .resendHistory {
                    progress.replay = (failedStep: index, attempt: attempt + 1)
                    // The replay rebuilds the transcript as it goes.
                    progress.transcript = []
                    return .resendHistory
                }
                attempt += 1
                isResend = false
            }
        }
    }
}
