import MCPLoadCore
import Synchronization

/// The open model's clients as the dispatcher sees them: who is idle, and each one's inbox.
final class OpenArrivals: Sendable {
    private let inboxes: [ArrivalInbox]
    /// Clients (1-based, as `{{vu}}`) waiting for an iteration, most recently idle last.
    private let idle = Mutex<[Int]>([])
    private let dropped = Atomic<UInt64>(0)
    private let dispatched = Atomic<UInt64>(0)
    private let closed = Atomic<Bool>(false)
    /// The dispatcher, waiting for every client to check in before the schedule's clock starts.
    private let ready = Mutex<(checkedIn: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))

    init(clients: Int) {
        inboxes = (0..<clients).map { _ in ArrivalInbox() }
    }

    /// Called by client `index` when it is ready for its next iteration; nil: the run is over.
    func nextIteration(for index: Int) async -> Duration? {
        idle.withLock { $0.append(index) }
        let waiter = ready.withLock { ready -> CheckedContinuation<Void, Never>? in
            ready.checkedIn += 1
            guard ready.checkedIn == inboxes.count else { return nil }
            defer { ready.waiter = nil }
            return ready.waiter
        }
        waiter?.resume()
        return await inboxes[index - 1].next()
    }

    /// Returns once every client has asked for its first iteration (with its session open,
    /// for per-client sessions), or when cancelled: arrivals due before the clients are ready
    /// would be dropped for the harness's sake, not the server's.
    func waitUntilEveryClientIsReady() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let already = ready.withLock { ready -> Bool in
                    if ready.checkedIn >= inboxes.count || Task.isCancelled { return true }
                    ready.waiter = continuation
                    return false
                }
                if already { continuation.resume() }
            }
        } onCancel: {
            ready.withLock { ready in
                defer { ready.waiter = nil }
                return ready.waiter
            }?.resume()
        }
    }

    /// Waits for every client, at most `limit`: a client whose server will not start must not
    /// hold the schedule back for ever.
    func waitUntilEveryClientIsReady(within limit: Duration, clock: any EngineClock) async {
        _ = await withTimeout(limit, clock: clock) { await self.waitUntilEveryClientIsReady() }
    }

    /// Whether the schedule is over: no more iterations will be handed out.
    var isOver: Bool { closed.load(ordering: .relaxed) }

    /// Starts the iteration due at `instant` on an idle client, or counts it dropped when none
    /// is: an open model never delays a start it cannot make.
    func dispatch(dueAt instant: Duration) {
        dispatched.add(1, ordering: .relaxed)
        guard let client = idle.withLock({ $0.popLast() }) else {
            dropped.add(1, ordering: .relaxed)
            return
        }
        inboxes[client - 1].deliver(instant)
    }

    var droppedCount: UInt64 { dropped.load(ordering: .relaxed) }
    var dispatchedCount: UInt64 { dispatched.load(ordering: .relaxed) }

    func closeAll() {
        closed.store(true, ordering: .relaxed)
        for inbox in inboxes { inbox.close() }
    }

    /// Dispatches every arrival of `pacer` at its due instant until the schedule ends or the
    /// run drains; returns how late the dispatcher woke for each (its own lag).
    func dispatch(
        _ pacer: Pacer, from start: Duration, control: RunControl, clock: any EngineClock
    ) async -> LatencyHistogram {
        var lateness = LatencyHistogram()
        var arrival = 0
        while !control.isDraining, let offset = pacer.offset(ofArrival: arrival) {
            let due = start + offset
            do {
                try await clock.sleep(until: due)
            } catch {
                break
            }
            lateness.record(clock.now - due)
            if arrival == 0 { control.noteLoadBegan(late: clock.now - due) }
            dispatch(dueAt: due)
            arrival += 1
        }
        closeAll()
        return lateness
    }
}
