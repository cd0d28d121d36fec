/// The one clock a run is given: every sleep and every "now" of the engine goes through it, so
/// that tests drive time by hand (``ManualClock``) instead of waiting on the wall clock.
///
/// Instants are durations since the clock's origin (for a run, its start): plain values that
/// add, subtract and compare, with no clock type to carry around.
package protocol EngineClock: Sendable {
    /// Time since the clock's origin.
    var now: Duration { get }
    /// Returns once `now` has reached `deadline`; throws `CancellationError` if the task is
    /// cancelled first.
    func sleep(until deadline: Duration) async throws
}

extension EngineClock {
    package func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// Real time: the continuous clock (monotonic, counting while the machine sleeps), from the
/// instant this clock was made.
package struct RunClock: EngineClock {
    private let origin: ContinuousClock.Instant

    package init() {
        origin = .now
    }

    package var now: Duration { .now - origin }

    package func sleep(until deadline: Duration) async throws {
        try await Task.sleep(until: origin + deadline, clock: .continuous)
    }
}
