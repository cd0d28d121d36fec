import MCPLoadCore

/// The lifecycle of one virtual client's session as a value: events in, decisions out.
///
/// It holds no I/O, so every transition is tested directly. The virtual client performs the
/// decisions: a session is a scope (a spawned server); leaving the scope closes it.
public struct SessionLifecycle: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// No server: before the first session, or between sessions.
        case closed
        case open(protocolVersion: String)
        /// The connection failed; the session must be left and a new one opened.
        case broken(reason: String)
    }

    /// What to do with the next step.
    public enum StepDecision: Sendable, Equatable {
        /// Send it on the open session.
        case send
        /// Nothing to send: the handshake already happened when the session opened.
        case skip
        case pause(Duration)
        /// Leave this session and continue, on a new one, with the next step.
        case reopen
        /// The session cannot carry the step: leave it, give up the rest of this iteration.
        case abandonIteration
    }

    /// What to do after an attempt.
    public enum AttemptDecision: Sendable, Equatable {
        case proceed
        /// The connection is gone: the rest of this iteration cannot run on it.
        case abandonIteration
    }

    public private(set) var state: State = .closed

    public init() {}

    public mutating func opened(protocolVersion: String) {
        state = .open(protocolVersion: protocolVersion)
    }

    public mutating func setupFailed(_ failure: Failure) {
        state = .broken(reason: failure.message)
    }

    public mutating func closed() {
        state = .closed
    }

    public func decide(_ action: Step.Action) -> StepDecision {
        guard case .open = state else { return .abandonIteration }
        switch action {
        case .initialize: return .skip
        case .think(let pause): return .pause(pause)
        case .reconnect: return .reopen
        default: return .send
        }
    }

    public mutating func attempted(_ outcome: Outcome) -> AttemptDecision {
        guard let failure = outcome.failure, Self.endsSession(failure) else { return .proceed }
        state = .broken(reason: failure.message)
        return .abandonIteration
    }

    /// Whether a failure leaves nothing more to say on its session: EOF, an exit or a failed
    /// write, or a server that no longer knows the session (HTTP 404, the spec's signal to
    /// initialize anew). A slow, wrong or rude answer leaves the connection usable.
    public static func endsSession(_ failure: Failure) -> Bool {
        switch failure.failureClass {
        case .transport, .notSent: true
        case .httpStatus: failure.code == 404
        default: false
        }
    }
}
