import Synchronization

/// A value handed over once to a task that waits for it; the first hand-over wins and later
/// ones are ignored. Unlike a bare continuation kept in an actor, it can be completed from
/// anywhere, a cancellation handler included, without a task to hop onto the actor.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case pending(waiter: CheckedContinuation<Value, Never>?)
        case done(Value)
    }

    private let state = Mutex(State.pending(waiter: nil))

    /// Hands `value` over; false if a value was handed over before.
    @discardableResult
    func complete(_ value: Value) -> Bool {
        let outcome = state.withLock { state -> (completed: Bool, waiter: CheckedContinuation<Value, Never>?) in
            guard case .pending(let waiter) = state else { return (false, nil) }
            state = .done(value)
            return (true, waiter)
        }
        outcome.waiter?.resume(returning: value)
        return outcome.completed
    }

    /// The value, once handed over. One waiter at a time.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                if case .done(let value) = state { return value }
                state = .pending(waiter: continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
