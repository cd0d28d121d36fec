import MCPLoadCore
import Synchronization

/// What every virtual client consults between iterations: may another one start?
///
/// Shared by all clients, read once per iteration (never per request): an atomic flag for
/// the drain that a first Ctrl-C requests, and the run's bounds.
public final class RunControl: Sendable {
    public let iterationsPerClient: Int?
    /// The run's clock, which every part of the engine reads.
    public let clock: any EngineClock
    /// When the run's duration is over, on its clock.
    public let deadline: Duration?
    private let draining = Atomic<Bool>(false)

    public init(iterationsPerClient: Int?, duration: Duration?, clock: any EngineClock = RunClock()) {
        self.iterationsPerClient = iterationsPerClient
        self.clock = clock
        self.deadline = duration.map { clock.now + $0 }
    }

    /// Whether the run's duration is over.
    public var deadlinePassed: Bool {
        deadline.map { clock.now >= $0 } ?? false
    }

    /// Stop starting iterations; those under way finish. Idempotent.
    public func drain() {
        draining.store(true, ordering: .relaxed)
    }

    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Whether a client that has run `iterations` iterations may start another.
    public func mayStartIteration(after iterations: Int) -> Bool {
        if isDraining { return false }
        if let iterationsPerClient, iterations >= iterationsPerClient { return false }
        if deadlinePassed { return false }
        return true
    }
}
