import MCPLoadCore

extension ClientStateMachine {
    /// The scenario and load model, as far as the client's decisions go.
    struct Configuration: Equatable {
        var steps: [StepKind]
        var strategy: SessionSettings.Strategy
        var retry: RetryPolicy?
        var thinkTime: Duration = .zero
        /// Iterations per client (closed model); nil when a duration or a schedule bounds the run.
        var iterationsPerClient: Int?
        /// The open model: a schedule starts iterations, so no think time paces them.
        var isOpenModel = false
        /// Identities with tokens that can be renewed (`auth.oauth`): a refused token (401) or
        /// scope (403 `insufficient_scope`) is renewed and the request sent once more.
        var reauthenticates = false

        /// A client that keeps its session opens it before it asks for an iteration: as a
        /// server's clients keep theirs, so iterations measure calls and not spawns, and the
        /// load starts once every client is set up.
        var opensSessionFirst: Bool { strategy == .perClient }
    }

    /// What a step asks of the client, without what it sends.
    enum StepKind: Equatable {
        /// A request that waits for its answer: it is measured and may be retried.
        case request
        /// Sent without waiting for an answer (`notify`, `raw` without an id): not measured,
        /// never retried.
        case fireAndForget
        /// `initialize`: the session's handshake already did it.
        case initialize
        case think(Duration)
        /// `reconnect`: close the session and go on, on a new one, with the next step.
        case reconnect

        init(_ step: Step) {
            switch step.action {
            case .initialize: self = .initialize
            case .think(let pause): self = .think(pause)
            case .reconnect: self = .reconnect
            case .notify: self = .fireAndForget
            case .raw(_, let awaitsAnswer): self = awaitsAnswer ? .request : .fireAndForget
            default: self = .request
            }
        }
    }

    /// What the run is doing, as the client's decisions need it: read by the executor from the
    /// run's shared state at each event.
    struct RunContext: Equatable {
        /// The run asked clients to finish what is under way and start nothing new.
        var draining = false
        /// The run's duration is over.
        var deadlinePassed = false
        /// The open model's schedule has handed out its last iteration.
        var scheduleOver = false
        /// The run's clock, for measuring how late an iteration starts against its schedule.
        var now: Duration = .zero
    }

    /// What the executor does next.
    enum Action: Equatable {
        /// Ask the load model for leave to start an iteration.
        case awaitIteration
        /// Open a session (spawn a server or connect; the handshake).
        case openSession
        /// Send step `index`: its `attempt`, a re-send or not.
        case send(StepAttempt)
        case pause(Duration, Pause)
        /// Close the session.
        case closeSession
        /// The server refused the identity's token (or its scope) for the current step: get a
        /// new one, then the step is sent once more.
        case reauthenticate(Failure)
        case finish
    }

    struct StepAttempt: Equatable {
        var index: Int
        var attempt: Int
        /// A retry of the step, or a re-send of it while an iteration is replayed.
        var isResend: Bool
        /// Measured and possibly retried; false for a step sent without waiting.
        var awaitsAnswer: Bool
    }

    enum Pause: Equatable {
        /// A `think` step.
        case thinkStep
        /// Think time between iterations (closed model).
        case thinkTime
        /// Before retrying a failed attempt.
        case retryBackoff
        /// Before trying again to open a session after one failed to open.
        case setupBackoff
    }

    /// What happened.
    enum Event: Equatable {
        case iterationGranted(IterationStart)
        /// The load model starts no more iterations for this client.
        case iterationRefused
        case sessionOpened
        /// The session could not be opened: the spawn or connection failed, or its handshake did.
        case sessionFailed(Failure)
        /// A shared session (`pool`) is gone and cannot be replaced by one client.
        case sessionLost
        /// The step's answer, and a number in 0...1 for the jitter of a retry's backoff.
        case answered(Outcome, jitter: Double)
        case pauseEnded
        case sessionClosed
        /// A new token came (nil), or the refusal stands (the failure: the refusal itself, or
        /// why no token came).
        case reauthenticated(Failure?)
    }

    /// What the executor notes besides performing the action: counters and the iteration's
    /// transcript, which the executor keeps.
    struct Effects: Equatable {
        var iterationCompleted = false
        var iterationAbandoned = false
        /// An iteration began, this late against its schedule (open model).
        var iterationBegan = false
        var startLag: Duration?
        /// A server no longer knew the session (HTTP 404).
        var sessionExpired = false
        /// The client's first session opened or failed: its start-up is over.
        var clientSettled = false
        /// The iteration's transcript starts over (a new iteration, a replay).
        var clearTranscript = false
    }
}

/// Leave to start an iteration: now (closed model), or at an instant the schedule set (open).
struct IterationStart: Sendable, Equatable {
    /// When the open model's schedule wanted the iteration to start, on the run's clock; nil in
    /// the closed model.
    var due: Duration?
}
