import MCPLoadJSONRPC

/// When each request of a session gives up, for the one task that watches them all
/// (``JSONRPCClient/run()``).
///
/// A timer per request (a sleeping child task, armed and cancelled around every request) cost
/// more CPU than the rest of a request's handling: 20 of 73 µs per call in `scripts/bench-http`.
/// The watcher instead sleeps until the earliest deadline in flight and, with nothing in
/// flight, for one more timeout, so that it is always armed before the next request's deadline.
/// A request whose deadline comes before the watcher wakes (a shorter timeout than the ones
/// before it) is not covered, and its caller times it itself.
struct RequestDeadlines {
    struct Deadline {
        var at: Duration
        var timeout: Duration
    }

    private var pending: [JSONRPCID: Deadline] = [:]
    /// Until when the watcher sleeps; nil while it is awake (it will see every deadline).
    private var watcherWakesAt: Duration?
    private(set) var watcherRunning = false
    /// The watcher waits for the first request; nothing to sleep for before.
    private(set) var watcherWaitsForFirst = false
    /// With nothing in flight the watcher sleeps this long: the latest timeout asked for.
    private var period: Duration?

    /// Registers a request's deadline; true when the watcher will expire it in time.
    mutating func add(_ id: JSONRPCID, _ deadline: Deadline) -> Bool {
        period = deadline.timeout
        guard watcherRunning else { return false }
        guard watcherWakesAt.map({ $0 <= deadline.at }) ?? true else { return false }
        pending[id] = deadline
        return true
    }

    mutating func remove(_ id: JSONRPCID) {
        pending[id] = nil
    }

    mutating func watcherStarted() {
        watcherRunning = true
    }

    mutating func watcherStopped() {
        watcherRunning = false
        watcherWakesAt = nil
        watcherWaitsForFirst = false
        pending.removeAll()
    }

    /// When the watcher should wake next, recorded as its sleep; nil: wait for the first request.
    mutating func sleep(from now: Duration) -> Duration? {
        let wake = pending.values.lazy.map(\.at).min() ?? period.map { now + $0 }
        watcherWakesAt = wake
        watcherWaitsForFirst = wake == nil
        return wake
    }

    mutating func woke() {
        watcherWakesAt = nil
        watcherWaitsForFirst = false
    }

    /// The requests whose deadline has passed, removed.
    mutating func takeExpired(at now: Duration) -> [(JSONRPCID, Duration)] {
        let expired = pending.filter { $0.value.at <= now }
        for id in expired.keys { pending[id] = nil }
        return expired.map { ($0.key, $0.value.timeout) }
    }
}
