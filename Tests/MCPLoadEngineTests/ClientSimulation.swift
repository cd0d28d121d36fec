import MCPLoadCore

@testable import MCPLoadEngine

/// A virtual client's state machine run against a scripted world, without I/O or a clock: the
/// load model grants `iterations` iterations, sessions open (or fail, as `sessionFails` says),
/// and every attempt of a step gets the outcome `answer` gives it. Each action is logged, and
/// the effects are counted as the executor would record them.
struct ClientSimulation {
    typealias Action = ClientStateMachine.Action

    var machine: ClientStateMachine
    var context = ClientStateMachine.RunContext()
    var iterations = 1
    /// Whether the `n`th attempt to open a session (1-based) fails.
    var sessionFails: (Int) -> Bool = { _ in false }
    /// The outcome of an attempt, from the iteration (0-based), the step and the attempt.
    var answer: (_ iteration: Int, _ step: Int, _ attempt: Int) -> Outcome = { _, _, _ in .success }
    /// What renewing a refused token comes to: nil (a new token), or the failure that stands.
    var reauthenticate: (Failure) -> Failure? = { _ in nil }
    /// Called before each event is handed to the machine: a drain or a deadline can start there.
    var beforeEvent: (inout ClientStateMachine.RunContext, Action) -> Void = { _, _ in }

    private(set) var actions: [Action] = []
    private(set) var sends: [ClientStateMachine.StepAttempt] = []
    private(set) var pauses: [(Duration, ClientStateMachine.Pause)] = []
    private(set) var sessionsOpened = 0
    private(set) var sessionsFailed = 0
    private(set) var completed = 0
    private(set) var abandoned = 0
    private(set) var expired = 0
    private(set) var settled = 0
    private(set) var startLags: [Duration] = []
    private(set) var transcriptClears = 0
    private(set) var reauthentications = 0
    private var granted = 0

    init(
        steps: [ClientStateMachine.StepKind], strategy: SessionSettings.Strategy = .perClient,
        retry: RetryPolicy? = nil, think: Duration = .zero, iterationsPerClient: Int? = nil, openModel: Bool = false,
        reauthenticates: Bool = false
    ) {
        machine = ClientStateMachine(
            .init(
                steps: steps, strategy: strategy, retry: retry, thinkTime: think,
                iterationsPerClient: iterationsPerClient, isOpenModel: openModel, reauthenticates: reauthenticates))
    }

    /// Runs until the machine finishes (or a bound of actions is reached, which fails the test).
    mutating func run(limit: Int = 1000) {
        var action = machine.start(context)
        note(machine.effects)
        for _ in 0..<limit {
            actions.append(action)
            let event: ClientStateMachine.Event
            switch action {
            case .finish:
                return
            case .awaitIteration:
                // The load model starts nothing once the run drains. The closed model counts
                // the client's own iterations (abandoned ones too), the open model its arrivals.
                let given = machine.configuration.isOpenModel ? granted : machine.progress.iteration
                if given < iterations && !context.draining {
                    granted += 1
                    event = .iterationGranted(IterationStart(due: openModelDue))
                } else {
                    event = .iterationRefused
                }
            case .openSession:
                let attempt = sessionsOpened + sessionsFailed + 1
                if sessionFails(attempt) {
                    sessionsFailed += 1
                    event = .sessionFailed(Failure(.notSent, "spawn failed"))
                } else {
                    sessionsOpened += 1
                    event = .sessionOpened
                }
            case .send(let attempt):
                sends.append(attempt)
                event = .answered(answer(machine.progress.iteration, attempt.index, attempt.attempt), jitter: 1)
            case .pause(let duration, let kind):
                pauses.append((duration, kind))
                event = .pauseEnded
            case .closeSession:
                event = .sessionClosed
            case .reauthenticate(let refusal):
                reauthentications += 1
                event = .reauthenticated(reauthenticate(refusal))
            }
            beforeEvent(&context, action)
            action = machine.handle(event, context)
            note(machine.effects)
        }
        preconditionFailure("the machine did not finish within \(limit) actions")
    }

    /// The open model's due instants: a second apart; nil in the closed model.
    private var openModelDue: Duration? {
        machine.configuration.isOpenModel ? .seconds(granted) : nil
    }

    private mutating func note(_ effects: ClientStateMachine.Effects) {
        if effects.iterationCompleted { completed += 1 }
        if effects.iterationAbandoned { abandoned += 1 }
        if effects.sessionExpired { expired += 1 }
        if effects.clientSettled { settled += 1 }
        if effects.clearTranscript { transcriptClears += 1 }
        if effects.iterationBegan, let lag = effects.startLag { startLags.append(lag) }
    }

    var retryPauses: Int { pauses.filter { $0.1 == .retryBackoff }.count }
    var resends: Int { sends.filter(\.isResend).count }
    var closes: Int { actions.filter { $0 == .closeSession }.count }
}
