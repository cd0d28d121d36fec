import Synchronization

/// A moment any number of tasks can wait for: once it has come, waiting returns at once.
/// (``OneShot`` hands a value to one waiter, which is all a request needs; a server's pipe ending
/// is awaited by both the session's end and the watch on the server's exit.)
final class Completion: Sendable {
    private enum State {
        case pending([CheckedContinuation<Void, Never>])
        case done
    }

    private let state = Mutex(State.pending([]))

    /// Marks the moment as come and wakes every waiter; later calls do nothing.
    func complete() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard case .pending(let waiters) = state else { return [] }
            state = .done
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                guard case .pending(var waiters) = state else { return true }
                waiters.append(continuation)
                state = .pending(waiters)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
