import MCPLoadCore

/// Everything a virtual client decides, as a value: events in, one action out.
///
/// The executor (``ClientExecutor``) performs each action (opens a session, sends a step,
/// sleeps, closes the session) and feeds back what happened; it branches on nothing else. The
/// rules live here: when to open and close sessions under each strategy, which failures are
/// retried and how (`retry: request` on the same session, `resend-history` on a new one,
/// replaying the iteration), backoff and `Retry-After`, think time, `reconnect`, abandoning an
/// iteration, draining, backing off when sessions will not open. Modelled on async-http-client's
/// `Transaction.StateMachine`: tested exhaustively without I/O and without a clock.
struct ClientStateMachine {
    let configuration: Configuration
    var state = State.idle
    var progress = Progress()
    /// What the last transition asks the executor to note besides its action.
    var effects = Effects()

    init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Where the client is.
    enum State: Equatable {
        /// No session and no iteration under way.
        case idle
        /// Waiting for the load model's leave to start an iteration.
        case awaitingIteration(inSession: Bool)
        /// A session is being opened.
        case opening
        /// A session is open; the client is on its steps (or between iterations on it).
        case inSession
        /// Waiting out a pause: a `think` step or think time (on a session), a retry's backoff,
        /// or a backoff before the next attempt to open a session; then as `then` says.
        case pausing(Pause, then: AfterPause)
        /// The session is being closed; then the client goes on as `then` says.
        case closing(then: AfterClose)
        /// On a session, getting a new token after the server refused one (this refusal).
        case reauthenticating(Failure)
        case finished
    }

    enum AfterPause: Equatable {
        /// The step after the `think` step.
        case nextStep
        /// The next iteration, on this session.
        case nextIteration
        /// Close the session and go on, on a new one.
        case closeAndGoOn
        /// Try the failed step again.
        case retry
        /// Try again to open a session.
        case openAgain
    }

    enum AfterClose: Equatable {
        /// Open another session (a `reconnect`, a per-iteration or per-request strategy, a
        /// replay on a new session, a broken session).
        case goOn
        /// Back off, then try to open another session (this one failed to open).
        case backOff
        case finish
    }

    /// What the client has done and where it is in its work, carried across sessions.
    struct Progress: Equatable {
        /// Iterations finished or abandoned.
        var iteration = 0
        /// The next step of the current iteration.
        var step = 0
        /// The current step's attempt (1 for its first).
        var attempt = 1
        /// The current attempt re-sends what was sent before (a retry, or a replayed step).
        var isResend = false
        /// `resend-history`: the step that failed and the attempt it will be; until it is
        /// reached, every request of the iteration is a re-send.
        var replay: Replay?
        /// Leave to start the next iteration, once granted; nil before and once it has begun.
        var granted: IterationStart?
        /// How late the current iteration began against its schedule (open model).
        var startLag: Duration?
        /// Attempts to open a session that failed in a row, for the backoff between them.
        var consecutiveSetupFailures = 0
        /// Sessions tried so far.
        var sessionsTried = 0
        /// The client's start-up is over: its first session opened or failed, or it finished.
        var settled = false
        /// The outcome of the attempt that is waiting out a retry's backoff.
        var pendingRetry: Outcome?
        /// The current attempt was refused for its token and sent again with a new one: a
        /// second refusal stands.
        var reauthenticated = false

        var isMidIteration: Bool { step > 0 || replay != nil }
    }

    struct Replay: Equatable {
        var failedStep: Int
        var attempt: Int
    }
}
