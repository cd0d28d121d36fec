import Synchronization

/// Gives up on one request's exchange from outside the task that awaits it: its deadline
/// passing (the session's watcher), its answer arriving another way (an SSE message read by
/// the session's reader while the POST's stream stays open), or the run's cancellation.
///
/// Without it the exchange had to run in a child task of its own, so that cancelling that
/// task could end it: a task created, scheduled and awaited per request, the largest cost
/// left on the HTTP hot path after the wire (`scripts/bench-http`). With it the request's
/// task awaits its exchange directly, and whoever decides it is over cancels it here.
package final class ExchangeCancellation: Sendable {
    private enum State {
        case idle
        /// The exchange is under way; the action ends it.
        case armed(@Sendable () -> Void)
        case cancelled
    }

    private let state = Mutex(State.idle)

    package init() {}

    /// What cancelling does while the exchange is under way. Cancelled already: done at once.
    func arm(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            guard case .cancelled = state else {
                state = .armed(action)
                return false
            }
            return true
        }
        if runNow { action() }
    }

    /// The exchange is over: cancelling no longer reaches it.
    func disarm() {
        state.withLock { state in
            if case .armed = state { state = .idle }
        }
    }

    /// Ends the exchange if it is under way, and any exchange armed later.
    package func cancel() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            defer { state = .cancelled }
            guard case .armed(let action) = state else { return nil }
            return action
        }
        action?()
    }

    package var isCancelled: Bool {
        state.withLock { state in
            if case .cancelled = state { return true }
            return false
        }
    }
}
