import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport

extension ClientExecutor {
    /// Sends one attempt of a step and records what it came to: the sample, the leaks both
    /// ways, the tool listing, the values captured, the exchange for the transcript.
    func send(_ attempt: ClientStateMachine.StepAttempt, on client: JSONRPCClient, _ state: ClientState) async -> Event
    {
        let progress = state.machine.progress
        let step = plan.scenario.steps[attempt.index]
        let context = state.data.templateContext(
            virtualClient: plan.globalVirtualClient(index), iteration: progress.iteration)
        guard attempt.awaitsAnswer else {
            return .answered(await sendWithoutAnswer(step, on: client, context: context), jitter: 0)
        }
        let history = plan.scenario.history.flatMap { carry in
            state.data.transcript.isEmpty
                ? nil
                : HistoryCarry.Payload(
                    carry: carry, transcript: state.data.transcript, bytes: state.data.transcriptBytes)
        }
        let timeout = step.timeout ?? plan.scenario.session.requestTimeout
        let prepared = encodedParams(of: attempt, step, context: context, state)
        let performed = await StepRunner.perform(
            step, at: attempt.index, on: client, context: context, timeout: timeout, history: history,
            prepared: prepared)
        return record(performed, of: attempt, step, progress: progress, state)
    }

    /// The step's params as this client encoded them the first time, when they render the
    /// same every time (``Step/rendersOncePerClient``); nil otherwise, or without params.
    func encodedParams(
        of attempt: ClientStateMachine.StepAttempt, _ step: Step, context: TemplateContext, _ state: ClientState
    ) -> EncodedParams? {
        guard plan.rendersOncePerClient[attempt.index] else { return nil }
        return state.data.encodedParams(ofStep: attempt.index) { StepRunner.request(for: step.action, in: context)?.1 }
    }

    /// Records what one attempt came to (the sample, the leaks both ways, the tool listing, the
    /// values captured, the exchange for the transcript) and says it as the machine's event:
    /// the same for an attempt sent by the client's task or by its event-loop lane.
    func record(
        _ performed: StepRunner.Performed, of attempt: ClientStateMachine.StepAttempt, _ step: Step,
        progress: ClientStateMachine.Progress, _ state: ClientState
    ) -> Event {
        var performed = performed
        performed.sample.bytesCarried = performed.bytesCarried
        performed.sample.startLag = progress.startLag
        performed.sample.isRetry = attempt.isResend
        state.data.recorder.record(performed.sample)
        plan.live.record(performed.sample)
        if let scanner = plan.leakScanner {
            LeakAccounting.record(
                request: performed.request, answer: performed.answer, step: step.label, scanner: scanner, plan: plan,
                virtualClient: plan.globalVirtualClient(index), recorder: &state.data.recorder)
        }
        // Audited whatever the step's checks said: the listing is what the client got.
        if case .listTools = step.action, let listing = performed.answer {
            if state.data.recorder.toolSurface == nil { state.data.recorder.toolSurface = ToolSurfaceTally() }
            state.data.recorder.toolSurface?.observe(listResult: listing)
        }
        state.data.captured.merge(performed.captured) { _, new in new }
        if plan.scenario.history != nil, let method = performed.method {
            state.data.record(
                exchange: HistoryCarry.entry(method: method, params: performed.ownParams, answer: performed.answer))
        }
        return .answered(performed.sample.outcome, jitter: Double.random(in: 0...1, using: &state.data.random))
    }

    /// `notify`, and `raw` without an id: written, not answered, not measured.
    private func sendWithoutAnswer(_ step: Step, on client: JSONRPCClient, context: TemplateContext) async -> Outcome {
        switch step.action {
        case .notify(let method, let params):
            if case .failure(let failure) = await client.notify(method, params: params?.render(in: context)) {
                return .failure(failure)
            }
            return .success
        case .raw(let text, _):
            let reply = await client.sendRaw(text.render(in: context), awaiting: nil, timeout: .zero)
            if case .failed(let failure) = reply.answer { return .failure(failure) }
            return .success
        default:
            return .success
        }
    }
}
