import Synchronization

/// Where one client of the open model receives the iterations the dispatcher hands it: each
/// with the instant it was due, so its latencies can be measured from the schedule.
final class ArrivalInbox: Sendable {
    private let state = Mutex(State())

    private struct State {
        var due: Duration?
        var waiter: CheckedContinuation<Duration?, Never>?
        var closed = false
    }

    /// Hands the client an iteration due at `instant`. The dispatcher gives a client one at a
    /// time, only while it waits idle, so none is ever overwritten.
    func deliver(_ instant: Duration) {
        let waiter = state.withLock { state -> CheckedContinuation<Duration?, Never>? in
            guard !state.closed else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.due = instant
            return nil
        }
        waiter?.resume(returning: instant)
    }

    /// No more iterations: a waiting client gets nil and stops.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Duration?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next iteration's due instant; nil once the run is over.
    func next() async -> Duration? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Duration?? in
                if let due = state.due {
                    state.due = nil
                    return .some(due)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
