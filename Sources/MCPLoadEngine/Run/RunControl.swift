import MCPLoadCore
import MCPLoadTransport
import Synchronization

/// What every virtual client consults between iterations: may another one start?
///
/// Shared by all clients: an atomic flag for the drain that a first Ctrl-C requests, and the
/// run's bounds. The run's duration counts from the moment its load starts (``startLoad()``),
/// not from when mcpload began: clients that keep their session open it first, servers
/// started for the run start first, and none of that eats into the load.
package final class RunControl: Sendable {
    package let iterationsPerClient: Int?
    /// The run's clock, which every part of the engine reads.
    package let clock: any EngineClock
    /// How long the load lasts once it has started.
    package let duration: Duration?
    /// When the load started (or, with a scheduled start, will start), in nanoseconds on the
    /// run's clock; `Int64.min` before.
    private let loadStartNanoseconds = Atomic<Int64>(.min)
    /// When the run was ready to start its load (every setup done), on the run's clock.
    private let readyNanoseconds = Atomic<Int64>(.min)
    /// When the first client (or the open model's dispatcher) really went, on the run's clock:
    /// a scheduled start plus however late the wake-up was.
    private let beganNanoseconds = Atomic<Int64>(.min)
    /// `--start-at`: the load starts at this instant on the run's clock, or when the run is
    /// ready if that is later (a shard that was not ready in time starts late, and says so).
    package let scheduledStart: Duration?
    private let loadStarted = Completion()
    /// The server processes this run has started.
    package let children = ChildProcesses()
    private let draining = Atomic<Bool>(false)

    package init(
        iterationsPerClient: Int?, duration: Duration?, clock: any EngineClock = RunClock(),
        scheduledStart: Duration? = nil
    ) {
        self.iterationsPerClient = iterationsPerClient
        self.clock = clock
        self.duration = duration
        self.scheduledStart = scheduledStart
    }

    /// The run is ready: its load starts now, or at the scheduled start if that is later (the
    /// first call wins). The duration counts from the start, and clients waiting for it go
    /// then. Returns the start instant.
    @discardableResult
    package func startLoad() -> Duration {
        let now = clock.now
        let start = max(now, scheduledStart ?? now)
        _ = readyNanoseconds.compareExchange(expected: .min, desired: now.nanoseconds, ordering: .relaxed)
        let (won, existing) = loadStartNanoseconds.compareExchange(
            expected: .min, desired: start.nanoseconds, ordering: .relaxed)
        loadStarted.complete()
        return won ? start : .nanoseconds(existing)
    }

    /// When the run was ready and when its load really started (the first wake-up after the
    /// start instant), on the run's clock; nil before.
    package var loadTimes: (ready: Duration, start: Duration)? {
        let ready = readyNanoseconds.load(ordering: .relaxed)
        let start = loadStartNanoseconds.load(ordering: .relaxed)
        let began = beganNanoseconds.load(ordering: .relaxed)
        guard ready != .min, start != .min else { return nil }
        return (.nanoseconds(ready), .nanoseconds(began == .min ? start : began))
    }

    /// The load's first work went `late` after the instant it was due (its place in the ramp
    /// or the schedule after the start): the load really began that much after the start.
    /// The first call wins.
    func noteLoadBegan(late: Duration) {
        let start = loadStartNanoseconds.load(ordering: .relaxed)
        guard start != .min else { return }
        let began = Duration.nanoseconds(start) + max(late, .zero)
        _ = beganNanoseconds.compareExchange(expected: .min, desired: began.nanoseconds, ordering: .relaxed)
    }

    /// Whether the load has started.
    package var hasLoadStarted: Bool { loadStartNanoseconds.load(ordering: .relaxed) != .min }

    /// Returns once the load has started (or the waiting task is cancelled, or the run drains
    /// before a scheduled start).
    func waitForLoadStart() async {
        if !hasLoadStarted { await loadStarted.wait() }
        let start = Duration.nanoseconds(loadStartNanoseconds.load(ordering: .relaxed))
        guard clock.now < start else { return }
        while clock.now < start, !isDraining {
            // Short sleeps: a drain (Ctrl-C) before a far start must not wait for it.
            do {
                try await clock.sleep(until: min(start, clock.now + .milliseconds(100)))
            } catch {
                return
            }
        }
        noteLoadBegan(late: clock.now - start)
    }

    /// When the run's duration is over, on its clock; nil without a duration or before the load started.
    package var deadline: Duration? {
        let start = loadStartNanoseconds.load(ordering: .relaxed)
        guard let duration, start != .min else { return nil }
        return .nanoseconds(start) + duration
    }

    /// Whether the run's duration is over.
    package var deadlinePassed: Bool {
        deadline.map { clock.now >= $0 } ?? false
    }

    /// Stop starting iterations; those under way finish. Idempotent. Clients still waiting for
    /// the load to start go, to find the run draining.
    package func drain() {
        draining.store(true, ordering: .relaxed)
        loadStarted.complete()
    }

    package var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Whether the load has started and its start instant has passed: waiting for it would
    /// return at once (what lets a client decide its next iteration without a task).
    var loadIsUnderWay: Bool {
        hasLoadStarted && clock.now >= .nanoseconds(loadStartNanoseconds.load(ordering: .relaxed))
    }

    /// Whether a client that has run `iterations` iterations may start another.
    package func mayStartIteration(after iterations: Int) -> Bool {
        if isDraining { return false }
        if let iterationsPerClient, iterations >= iterationsPerClient { return false }
        if deadlinePassed { return false }
        return true
    }
}
