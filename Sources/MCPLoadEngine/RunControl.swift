import Synchronization

/// What every virtual client consults between iterations: may another one start?
///
/// Shared by all clients, read once per iteration (never per request): an atomic flag for
/// the drain that a first Ctrl-C requests, and the run's bounds.
public final class RunControl: Sendable {
    public let iterationsPerClient: Int?
    public let deadline: ContinuousClock.Instant?
    private let draining = Atomic<Bool>(false)

    public init(iterationsPerClient: Int?, duration: Duration?, clock: ContinuousClock = ContinuousClock()) {
        self.iterationsPerClient = iterationsPerClient
        self.deadline = duration.map { clock.now + $0 }
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
        if let deadline, ContinuousClock.now >= deadline { return false }
        return true
    }
}
