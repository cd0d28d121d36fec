import Synchronization

/// Time that moves only when told to: for tests of what the engine does after a backoff, a
/// think time, a deadline, without waiting for any of them.
///
/// A test lets the engine run until it sleeps (``waitForSleepers(_:)``, woken by the sleep
/// itself, never by polling), then ``advance(by:)``: every sleeper whose deadline has come wakes.
package final class ManualClock: EngineClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Duration.zero
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Tests waiting for a number of sleepers, or for one with a deadline.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var deadlineWatchers: [(deadline: Duration, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    package init() {}

    package var now: Duration { state.withLock { $0.now } }

    /// How many tasks sleep on this clock right now.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps until, if anyone does.
    package var nextDeadline: Duration? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    package func sleep(until deadline: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (due, woken) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled { return (true, []) }
                    if deadline <= state.now { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (false, Self.takeSatisfiedWatchers(&state) + Self.takeDeadlineWatchers(&state))
                }
                for watcher in woken { watcher.resume() }
                if due {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward, waking every sleeper whose deadline has come, earliest first.
    package func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest deadline anyone sleeps until, waking them; false if nobody sleeps.
    @discardableResult
    package func advanceToNextDeadline() -> Bool {
        guard let next = nextDeadline else { return false }
        advance(by: max(.zero, next - now))
        return true
    }

    /// Returns once at least `count` tasks sleep on this clock.
    package func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Returns once a task sleeps until exactly `deadline`: what a test waits for before it
    /// moves time past a backoff, a think time or a request's deadline it expects.
    package func waitForSleeper(until deadline: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.contains(where: { $0.deadline == deadline }) { return true }
                state.deadlineWatchers.append((deadline, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func takeDeadlineWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let deadlines = Set(state.sleepers.map(\.deadline))
        let satisfied = state.deadlineWatchers.filter { deadlines.contains($0.deadline) }.map(\.continuation)
        state.deadlineWatchers.removeAll { deadlines.contains($0.deadline) }
        return satisfied
    }

    private static func takeSatisfiedWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let satisfied = state.watchers.filter { $0.count <= count }.map(\.continuation)
        state.watchers.removeAll { $0.count <= count }
        return satisfied
    }
}
