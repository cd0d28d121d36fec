import Foundation
import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport
import NIOCore
import Synchronization

/// A virtual client's requests driven on its session's event loop: an answer's arrival feeds
/// the state machine, and the machine's next action writes the next request, with no task in
/// between. The client's task hands its machine to the lane for as long as the machine asks
/// for what the lane can do (send a request over Streamable HTTP, start the closed model's
/// next iteration) and waits once for the first action it cannot (a pause, the session's end,
/// re-authentication, a notification, a request carrying history): one suspension per run of
/// requests instead of several per request (`scripts/bench-http`).
///
/// Both ways of sending judge and record through the same functions
/// (``StepRunner/conclude(_:at:_:context:)``, ``ClientExecutor/record(_:of:_:progress:_:)``)
/// and feed the same machine, so what a run measures does not depend on which one sent.
///
/// Unchecked Sendable: its state is touched on its event loop only (every callback hops
/// there), and by the client's task only before the lane starts and after it has handed back.
final class ClientLane: @unchecked Sendable {
    typealias Action = ClientStateMachine.Action
    typealias Event = ClientStateMachine.Event

    private let executor: ClientExecutor
    private let state: ClientState
    private let client: JSONRPCClient
    private let connection: StreamableHTTPConnection
    private let loop: any EventLoop
    private var plan: RunPlan { executor.plan }
    /// The client's task, waiting for the action the lane cannot perform.
    private var waiting: CheckedContinuation<Action, Never>?
    private var inFlight: InFlight?
    private let sentRequests = ClientLane.sentRequests
    /// One timer for the lane's deadlines, armed for `timerAt`: a request's deadline is
    /// checked when it fires, and the timer armed again for the request then in flight. A timer
    /// per request (scheduled, then cancelled with its answer) cost more than the request's
    /// judging; requests end long before their deadlines, so this one seldom fires.
    private var timer: Scheduled<Void>?
    private var timerAt: NIODeadline?
    /// Set by the task's cancellation, from any thread; read on the loop.
    private let cancelled = Atomic<Bool>(false)

    /// The request under way and what its sample needs.
    private struct InFlight {
        var id: JSONRPCID
        var attempt: ClientStateMachine.StepAttempt
        var progress: ClientStateMachine.Progress
        var step: Step
        var context: TemplateContext
        var method: String
        var params: JSONValue?
        var start: Duration
        var bytesOut: Int
        var started: StartedExchange?
        /// The POST is still under way (its answer may have come through the session's reader).
        var exchangeOpen = true
        var deadline: NIODeadline
        var timeout: Duration
    }

    private init(
        executor: ClientExecutor, state: ClientState, client: JSONRPCClient, connection: StreamableHTTPConnection,
        loop: any EventLoop
    ) {
        self.executor = executor
        self.state = state
        self.client = client
        self.connection = connection
        self.loop = loop
    }

    /// On unless `MCPLOAD_LANE=off` (every request on the task's path, to compare the two) or
    /// a test turns it off for its tasks.
    @TaskLocal static var isEnabled = ProcessInfo.processInfo.environment["MCPLOAD_LANE"] != "off"
    /// Counts the requests lanes send, for a test that checks the lane carried them.
    @TaskLocal static var sentRequests: Counter?

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        init() {}
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    /// Whether the lane can send `attempt` of a run planned like `plan`: a request awaiting its
    /// answer, with no carried history (which the task's path attaches).
    static func canSend(_ attempt: ClientStateMachine.StepAttempt, in plan: RunPlan) -> Bool {
        attempt.awaitsAnswer && plan.scenario.history == nil
            && StepRunner.method(of: plan.scenario.steps[attempt.index].action) != nil
    }

    /// Performs `first` and what follows it on the session's event loop; returns the first
    /// action the lane cannot perform, or nil when it could not start (no idle connection:
    /// the task's path opens one).
    static func run(
        from first: Action, executor: ClientExecutor, state: ClientState, client: JSONRPCClient,
        connection: StreamableHTTPConnection
    ) async -> Action? {
        guard let loop = connection.laneEventLoop else { return nil }
        let lane = ClientLane(executor: executor, state: state, client: client, connection: connection, loop: loop)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lane.waiting = continuation
                loop.execute { lane.perform(first) }
            }
        } onCancel: {
            lane.cancelled.store(true, ordering: .relaxed)
            loop.execute { lane.cancel() }
        }
    }

    // MARK: On the loop

    private func perform(_ first: Action) {
        var action = first
        while !cancelled.load(ordering: .relaxed) {
            switch action {
            case .send(let attempt) where Self.canSend(attempt, in: plan):
                if send(attempt) { return }
            case .awaitIteration:
                guard let decided = plan.nextIterationWithoutWaiting(after: state.machine.progress.iteration) else {
                    break
                }
                action = state.machine.handle(decided.map(Event.iterationGranted) ?? .iterationRefused, plan.runContext)
                state.applyEffects(run: plan)
                continue
            default:
                break
            }
            break
        }
        handBack(action)
    }

    /// Starts `attempt`; false when it needs the task's path (no idle connection).
    private func send(_ attempt: ClientStateMachine.StepAttempt) -> Bool {
        let step = plan.scenario.steps[attempt.index]
        let progress = state.machine.progress
        let context = state.data.templateContext(
            virtualClient: plan.globalVirtualClient(executor.index), iteration: progress.iteration)
        guard let method = StepRunner.method(of: step.action) else { return false }
        let id = client.ids.take()
        let prepared = executor.encodedParams(of: attempt, step, context: context, state)
        let params = prepared?.value ?? StepRunner.request(for: step.action, in: context)?.1
        let message =
            prepared.map { JSONRPCEncoder.request(id: id, method: method, encoded: $0) }
            ?? JSONRPCEncoder.request(id: id, method: method, params: params)
        // Registered before the write: an answer through the session's reader cannot beat it.
        client.adopted.register(id) { [loop] arrival in loop.execute { self.settle(id, arrival) } }
        let timeout = step.timeout ?? plan.scenario.session.requestTimeout
        var flight = InFlight(
            id: id, attempt: attempt, progress: progress, step: step, context: context, method: method,
            params: params, start: plan.clock.now, bytesOut: message.count + 1,
            deadline: .now() + .nanoseconds(Int64(clamping: timeout.nanoseconds)), timeout: timeout)
        let started: StartedExchange
        do {
            guard let exchange = try connection.startExchange(message, awaiting: id) else {
                client.adopted.remove(id)
                return false
            }
            started = exchange
        } catch {
            flight.exchangeOpen = false
            inFlight = flight
            settle(id, JSONRPCClient.Arrival(answer: .failed(error), at: plan.clock.now, bytes: 0))
            return true
        }
        flight.started = started
        sentRequests?.add()
        inFlight = flight
        armTimer(for: flight.deadline)
        started.answer.hop(to: loop).whenComplete { result in self.answered(id, started, result) }
        return true
    }

    /// The POST is over: its JSON answer settles the request here; an SSE answer settles it
    /// through the session's reader (``AdoptedRequests``).
    private func answered(_ id: JSONRPCID, _ started: StartedExchange, _ result: Result<PostAnswer, any Error>) {
        if inFlight?.id == id { inFlight?.exchangeOpen = false }
        let line: [UInt8]?
        do {
            line = try connection.finishExchange(started, awaiting: id, result: result) { [loop] failure in
                loop.execute {
                    self.settle(id, JSONRPCClient.Arrival(answer: .failed(failure), at: self.plan.clock.now, bytes: 0))
                }
            }
        } catch {
            settle(id, JSONRPCClient.Arrival(answer: .failed(error), at: plan.clock.now, bytes: 0))
            return
        }
        guard let line else { return }
        let now = plan.clock.now
        if let answer = client.answer(to: id, in: line) {
            settle(id, JSONRPCClient.Arrival(answer: answer, at: now, bytes: line.count + 1))
        } else {
            // Some other message in a JSON answer: the session's reader counts it.
            connection.handToReader(line)
            let failure = Failure(.transport, "the response stream ended before the answer")
            settle(id, JSONRPCClient.Arrival(answer: .failed(failure), at: now, bytes: 0))
        }
    }

    /// Arms the timer for `deadline` unless it fires before it already.
    private func armTimer(for deadline: NIODeadline) {
        if let timerAt, timerAt <= deadline { return }
        timer?.cancel()
        timerAt = deadline
        timer = loop.scheduleTask(deadline: deadline) { self.timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerAt = nil
        guard let flight = inFlight else { return }
        guard NIODeadline.now() >= flight.deadline else {
            armTimer(for: flight.deadline)
            return
        }
        let failure = Failure(.timeout, "no answer within \(DurationText.format(flight.timeout))")
        settle(flight.id, JSONRPCClient.Arrival(answer: .failed(failure), at: plan.clock.now, bytes: 0))
    }

    /// The request's first settlement: recorded, and the machine's next action performed.
    private func settle(_ id: JSONRPCID, _ arrival: JSONRPCClient.Arrival) {
        guard let flight = inFlight, flight.id == id else { return }  // settled already
        inFlight = nil
        client.adopted.remove(id)
        // Settled while the POST is still under way (an SSE stream left open, a deadline):
        // nothing more is wanted from it.
        if flight.exchangeOpen { flight.started?.cancel() }
        let sent = arrival.answer.failure?.failureClass != .notSent
        let reply = JSONRPCReply(
            answer: arrival.answer, latency: arrival.at - flight.start, bytesOut: sent ? flight.bytesOut : 0,
            bytesIn: arrival.bytes)
        let exchange = StepRunner.Exchange(
            reply: reply, sent: flight.params, ownParams: flight.params, method: flight.method)
        let performed = StepRunner.conclude(flight.step, at: flight.attempt.index, exchange, context: flight.context)
        let event = executor.record(performed, of: flight.attempt, flight.step, progress: flight.progress, state)
        let next = state.machine.handle(event, plan.runContext)
        state.applyEffects(run: plan)
        perform(next)
    }

    /// The client's task was cancelled (the run's end): the request under way gives up, as a
    /// cancelled request does on the task's path, and the lane hands back.
    private func cancel() {
        if waiting != nil, let flight = inFlight {
            let failure = Failure(.timeout, "cancelled while waiting for the answer")
            settle(flight.id, JSONRPCClient.Arrival(answer: .failed(failure), at: plan.clock.now, bytes: 0))
        }
    }

    private func handBack(_ action: Action) {
        timer?.cancel()
        timer = nil
        timerAt = nil
        let waiting = waiting
        self.waiting = nil
        waiting?.resume(returning: action)
    }
}
