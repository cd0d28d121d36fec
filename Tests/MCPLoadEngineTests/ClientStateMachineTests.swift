import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// The client's decisions, table by table, without I/O and without a clock.
@Suite("Client state machine")
struct ClientStateMachineTests {
    typealias Machine = ClientStateMachine

    static let everything: Set<RetryPolicy.Condition> = Set(
        FailureClass.allCases.map(RetryPolicy.Condition.failureClass) + [.httpServerError, .httpTooManyRequests])

    enum Mode: String, CaseIterable, Sendable {
        case none
        case request
        case resendHistory = "resend-history"

        var policy: RetryPolicy? {
            switch self {
            case .none: nil
            case .request: RetryPolicy(attempts: 3, on: ClientStateMachineTests.everything, mode: .request)
            case .resendHistory:
                RetryPolicy(attempts: 3, on: ClientStateMachineTests.everything, mode: .resendHistory)
            }
        }
    }

    static let strategies: [SessionSettings.Strategy] = [.perClient, .perIteration, .perRequest, .pool(2)]

    /// Every class, an HTTP 404 (the session expired) apart from other statuses.
    static let failures: [Failure] =
        FailureClass.allCases.map { Failure($0, code: $0 == .httpStatus ? 503 : nil, "injected") }
        + [Failure(.httpStatus, code: 404, "session not found")]

    struct Case: CustomTestStringConvertible, Sendable {
        var strategy: SessionSettings.Strategy
        var mode: Mode
        var failure: Failure
        var testDescription: String {
            "\(strategy), retry \(mode.rawValue), \(failure.failureClass.rawValue)\(failure.code.map { " \($0)" } ?? "")"
        }
    }

    static let cases: [Case] = strategies.flatMap { strategy in
        Mode.allCases.flatMap { mode in failures.map { Case(strategy: strategy, mode: mode, failure: $0) } }
    }

    @Test(
        "two iterations of two requests, the second failing once: sends, re-sends, sessions and iterations as the rules say",
        arguments: cases)
    func table(_ row: Case) {
        var simulation = ClientSimulation(
            steps: [.request, .request], strategy: row.strategy, retry: row.mode.policy, iterationsPerClient: 2)
        simulation.iterations = 2
        simulation.answer = { iteration, step, attempt in
            iteration == 0 && step == 1 && attempt == 1 ? .failure(row.failure) : .success
        }
        simulation.run()

        // The rules, stated independently of the machine.
        let endsSession = [.transport, .notSent].contains(row.failure.failureClass) || row.failure.code == 404
        let retried = row.mode == .resendHistory || (row.mode == .request && !endsSession)
        let replayed = row.mode == .resendHistory
        #expect(simulation.sends.count == 4 + (retried ? (replayed ? 2 : 1) : 0))
        #expect(simulation.resends == (retried ? (replayed ? 2 : 1) : 0))
        #expect(simulation.retryPauses == (retried ? 1 : 0))
        #expect(simulation.completed == (!retried && endsSession ? 1 : 2))
        #expect(simulation.abandoned == (!retried && endsSession ? 1 : 0))
        #expect(simulation.expired == (row.failure.code == 404 && !retried ? 1 : 0))
        let sessions: Int =
            switch row.strategy {
            case .perClient: 1 + (endsSession && !retried ? 1 : 0) + (replayed ? 1 : 0)
            case .perIteration, .pool: 2 + (replayed ? 1 : 0)
            case .perRequest: simulation.sends.count - (retried && !replayed ? 1 : 0)
            }
        #expect(simulation.sessionsOpened == sessions)
        #expect(simulation.settled == 1)
        #expect(simulation.machine.state == .finished)
    }

    @Test(
        "resend-history replays the iteration from its first step on a new session, then the failed one as its next attempt"
    )
    func replayOrder() {
        var simulation = ClientSimulation(
            steps: [.request, .request, .request], retry: Mode.resendHistory.policy, iterationsPerClient: 1)
        simulation.answer = { _, step, attempt in
            step == 2 && attempt == 1 ? .failure(Failure(.transport, "crash")) : .success
        }
        simulation.run()
        #expect(simulation.sends.map(\.index) == [0, 1, 2, 0, 1, 2])
        #expect(simulation.sends.map(\.attempt) == [1, 1, 1, 1, 1, 2])
        #expect(simulation.sends.map(\.isResend) == [false, false, false, true, true, true])
        #expect(simulation.sessionsOpened == 2)
        // The iteration began once (its transcript cleared), was replayed (cleared), completed (cleared).
        #expect(simulation.transcriptClears == 3)
    }

    @Test("a request retry waits the doubling backoff, never less than Retry-After, never more than the maximum")
    func backoff() {
        let policy = RetryPolicy(
            attempts: 4, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2), jitter: false,
            on: [.httpTooManyRequests], mode: .request)
        for (retryAfter, expected) in [
            (nil, [Duration.milliseconds(100), .milliseconds(200), .milliseconds(400)]),
            (Duration.seconds(1), [.seconds(1), .seconds(1), .seconds(1)]),
            // Longer than the maximum: the maximum bounds it.
            (Duration.seconds(30), [.seconds(2), .seconds(2), .seconds(2)]),
        ] {
            var simulation = ClientSimulation(steps: [.request], retry: policy, iterationsPerClient: 1)
            simulation.answer = { _, _, _ in
                .failure(Failure(.httpStatus, code: 429, "slow down", retryAfter: retryAfter))
            }
            simulation.run()
            #expect(simulation.pauses.map(\.0) == expected)
            #expect(simulation.sends.count == 4)
        }
    }

    @Test("a drain that starts during a retry's backoff: the failure stands, nothing more is tried or started")
    func drainDuringBackoff() {
        var simulation = ClientSimulation(steps: [.request], retry: Mode.request.policy, iterationsPerClient: 5)
        simulation.iterations = 5
        simulation.answer = { _, _, _ in .failure(Failure(.timeout, "slow")) }
        simulation.beforeEvent = { context, action in
            if case .pause = action { context.draining = true }
        }
        simulation.run()
        #expect(simulation.sends.count == 1)
        #expect(simulation.retryPauses == 1)
        #expect(simulation.completed == 1)
    }

    @Test("a drain before a replay's new session: the iteration is given up, no session is opened for it")
    func drainBeforeReplay() {
        var simulation = ClientSimulation(steps: [.request, .request], retry: Mode.resendHistory.policy)
        simulation.answer = { _, step, _ in step == 1 ? .failure(Failure(.transport, "crash")) : .success }
        simulation.beforeEvent = { context, action in
            if action == .closeSession { context.draining = true }
        }
        simulation.run()
        #expect(simulation.sends.count == 2)
        #expect(simulation.sessionsOpened == 1)
        #expect(simulation.abandoned == 1 && simulation.completed == 0)
    }

    @Test("a session that fails to open again and again is retried after a doubling backoff, capped at a second")
    func setupFailures() {
        var simulation = ClientSimulation(steps: [.request], iterationsPerClient: 10)
        simulation.iterations = 10
        simulation.sessionFails = { attempt in attempt <= 6 }
        simulation.run()
        #expect(simulation.pauses.map(\.1).allSatisfy { $0 == .setupBackoff })
        #expect(
            simulation.pauses.map(\.0)
                == [50, 100, 200, 400, 800, 1000].map { Duration.milliseconds($0) })
        // Each failed session used up the iteration it was opened for.
        #expect(simulation.abandoned == 6 && simulation.completed == 4)
        #expect(simulation.settled == 1)
    }

    @Test("a pooled session the server forgot (404) abandons the iteration; the next goes on the shared session")
    func poolExpired() {
        var simulation = ClientSimulation(steps: [.request], strategy: .pool(1), iterationsPerClient: 2)
        simulation.iterations = 2
        simulation.answer = { iteration, _, _ in
            iteration == 0 ? .failure(Failure(.httpStatus, code: 404, "gone")) : .success
        }
        simulation.run()
        #expect(simulation.expired == 1 && simulation.abandoned == 1 && simulation.completed == 1)
    }

    @Test("a shared session that is gone ends the client's work")
    func poolLost() {
        var machine = Machine(.init(steps: [.request], strategy: .pool(1)))
        let context = Machine.RunContext()
        #expect(machine.start(context) == .awaitIteration)
        #expect(machine.handle(.iterationGranted(IterationStart()), context) == .openSession)
        #expect(machine.handle(.sessionLost, context) == .finish)
    }

    @Test("think time paces a closed model's iterations, but not after its last, and not in the open model")
    func thinkTime() {
        var closed = ClientSimulation(steps: [.request], think: .milliseconds(50), iterationsPerClient: 3)
        closed.iterations = 3
        closed.run()
        #expect(closed.pauses.map(\.1) == [.thinkTime, .thinkTime])
        var open = ClientSimulation(steps: [.request], think: .milliseconds(50), openModel: true)
        open.iterations = 3
        open.run()
        #expect(open.pauses.isEmpty && open.completed == 3)
        var late = ClientSimulation(steps: [.request], think: .milliseconds(50))
        late.iterations = 3
        late.context.deadlinePassed = true
        late.run()
        #expect(late.pauses.isEmpty)
    }

    @Test("a think step pauses between the steps around it; initialize is skipped (the handshake did it)")
    func thinkStep() {
        var simulation = ClientSimulation(steps: [.initialize, .request, .think(.milliseconds(20)), .request])
        simulation.run()
        #expect(simulation.sends.map(\.index) == [1, 3])
        #expect(simulation.pauses.map(\.0) == [.milliseconds(20)])
    }

    @Test("reconnect closes the session and goes on on a new one; at the end it completes the iteration first")
    func reconnect() {
        var middle = ClientSimulation(steps: [.request, .reconnect, .request])
        middle.run()
        #expect(middle.sessionsOpened == 2 && middle.completed == 1 && middle.sends.map(\.index) == [0, 2])
        var last = ClientSimulation(steps: [.request, .reconnect], iterationsPerClient: 2)
        last.iterations = 2
        last.run()
        #expect(last.sessionsOpened == 2 && last.completed == 2)
    }

    @Test("the open model opens a client's session before any iteration is due, and measures each start's lag")
    func openModel() {
        var simulation = ClientSimulation(steps: [.request], openModel: true)
        simulation.iterations = 2
        simulation.context.now = .seconds(5)
        simulation.run()
        #expect(Array(simulation.actions.prefix(2)) == [.openSession, .awaitIteration])
        // Due at 1 s and 2 s, begun at 5 s.
        #expect(simulation.startLags == [.seconds(4), .seconds(3)])
        // A schedule already over: no session is opened at all.
        var over = ClientSimulation(steps: [.request], openModel: true)
        over.context.scheduleOver = true
        over.run()
        #expect(over.actions == [.finish])
    }

    @Test("a step sent without waiting is never retried; a per-request session stays open across it")
    func fireAndForget() {
        var simulation = ClientSimulation(
            steps: [.fireAndForget, .request], strategy: .perRequest, retry: Mode.request.policy)
        simulation.answer = { _, step, _ in step == 0 ? .failure(Failure(.timeout, "x")) : .success }
        simulation.run()
        #expect(simulation.sends.map(\.awaitsAnswer) == [false, true])
        #expect(simulation.retryPauses == 0 && simulation.sessionsOpened == 1)
    }
}

/// A refused token (401) or scope (403) with renewable identities: a new token, and the same
/// attempt once more; never a loop, never a retry of the policy's.
@Suite("Client state machine: re-authentication")
struct ClientReauthenticationTests {
    static func refusal(_ status: Int64 = 401, generation: Int = 1) -> Failure {
        var failure = Failure(.auth, code: status, "HTTP \(status)")
        failure.refusal = AuthRefusal(
            challenge: BearerChallenge(error: "invalid_token"), presentedGeneration: generation)
        return failure
    }

    @Test("a 401 renews the token and sends the same attempt again, as a re-send; the step then succeeds")
    func renewedOnce() {
        var simulation = ClientSimulation(steps: [.request, .request], reauthenticates: true)
        var refusedOnce = false
        simulation.answer = { _, step, _ in
            guard step == 0, !refusedOnce else { return .success }
            refusedOnce = true
            return .failure(Self.refusal())
        }
        simulation.run()
        #expect(simulation.reauthentications == 1)
        #expect(simulation.sends.map(\.index) == [0, 0, 1])
        #expect(simulation.sends.map(\.attempt) == [1, 1, 1])
        #expect(simulation.sends.map(\.isResend) == [false, true, false])
        #expect(simulation.completed == 1)
    }

    @Test("a second refusal of the same attempt stands: no loop, even with a retry policy that does not retry auth")
    func secondRefusalStands() {
        let policy = RetryPolicy(attempts: 3, on: [.failureClass(.timeout)], mode: .request)
        var simulation = ClientSimulation(
            steps: [.request], retry: policy, iterationsPerClient: 1, reauthenticates: true)
        simulation.answer = { _, _, _ in .failure(Self.refusal()) }
        simulation.run()
        #expect(simulation.reauthentications == 1)
        #expect(simulation.sends.count == 2)
        #expect(simulation.retryPauses == 0)
        #expect(simulation.completed == 1)
    }

    @Test("no new token: the failure why (token_endpoint) is the step's, and the policy may retry it")
    func noToken() {
        let policy = RetryPolicy(attempts: 2, on: [.failureClass(.tokenEndpoint)], mode: .request)
        var simulation = ClientSimulation(steps: [.request], retry: policy, reauthenticates: true)
        var sends = 0
        simulation.answer = { _, _, _ in
            sends += 1
            return sends == 1 ? .failure(Self.refusal()) : .success
        }
        simulation.reauthenticate = { _ in Failure(.tokenEndpoint, "token endpoint: http_503") }
        simulation.run()
        #expect(simulation.reauthentications == 1)
        #expect(simulation.retryPauses == 1)
        #expect(simulation.sends.map(\.attempt) == [1, 2])
    }

    @Test("without renewable identities (static tokens, none), a 401 is an ordinary failure")
    func staticTokens() {
        var simulation = ClientSimulation(steps: [.request])
        simulation.answer = { _, _, _ in .failure(Self.refusal()) }
        simulation.run()
        #expect(simulation.reauthentications == 0)
        #expect(simulation.sends.count == 1)
    }

    @Test("a drain that begins while the token is renewed keeps the refusal and sends nothing more")
    func drainDuringRenewal() {
        var simulation = ClientSimulation(steps: [.request, .request], reauthenticates: true)
        simulation.answer = { _, step, _ in step == 0 ? .failure(Self.refusal()) : .success }
        simulation.beforeEvent = { context, action in
            if case .reauthenticate = action { context.draining = true }
        }
        simulation.run()
        #expect(simulation.sends.count == 2)
        #expect(simulation.machine.state == .finished)
    }
}
