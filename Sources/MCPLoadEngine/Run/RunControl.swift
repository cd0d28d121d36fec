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
    /// When the load started, in nanoseconds on the run's clock; `Int64.min` before.
    private let loadStartNanoseconds = Atomic<Int64>(.min)
    private let loadStarted = Completion()
    /// The server processes this run has started.
    package let children = ChildProcesses()
    private let draining = Atomic<Bool>(false)

    package init(iterationsPerClient: Int?, duration: Duration?, clock: any EngineClock = RunClock()) {
        self.iterationsPerClient = iterationsPerClient
        self.clock = clock
        self.duration = duration
    }

    /// The load starts now (the first call wins): the duration counts from here, and clients
    /// waiting for the start go.
    package func startLoad() {
        _ = loadStartNanoseconds.compareExchange(expected: .min, desired: clock.now.nanoseconds, ordering: .relaxed)
        loadStarted.complete()
    }

    /// Whether the load has started.
    package var hasLoadStarted: Bool { loadStartNanoseconds.load(ordering: .relaxed) != .min }

    /// Returns once the load has started (or the waiting task is cancelled).
    func waitForLoadStart() async {
        if !hasLoadStarted { await loadStarted.wait() }
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

    /// Whether a client that has run `iterations` iterations may start another.
    package func mayStartIteration(after iterations: Int) -> Bool {
        if isDraining { return false }
        if let iterationsPerClient, iterations >= iterationsPerClient { return false }
        if deadlinePassed { return false }
        return true
    }
}
