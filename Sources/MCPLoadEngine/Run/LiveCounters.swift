import Atomics
import MCPLoadCore

/// Running totals for the live progress line, shared by every client of a run.
///
/// The per-client recorders stay the source of truth (lock-free, merged once at the end);
/// these are relaxed atomic adds, one per request, coarse enough to cost nothing: latencies go
/// into ``QuarterOctave`` buckets, plenty for "p99 so far".
package final class LiveCounters: Sendable {
    private let requests = ManagedAtomic<UInt64>(0)
    private let failures = ManagedAtomic<UInt64>(0)
    private let buckets: [ManagedAtomic<UInt64>]
    /// Failures by class, in `FailureClass.allCases` order.
    private let failuresByClass: [ManagedAtomic<UInt64>]
    /// Sessions open right now.
    private let openSessions = ManagedAtomic<Int>(0)
    /// Clients whose first session has opened, or failed to.
    private let clientsSettled = ManagedAtomic<Int>(0)
    /// Sessions closed since the run began: what a server's memory is fitted against.
    private let sessionsClosed = ManagedAtomic<UInt64>(0)

    static let bucketCount = QuarterOctave.bucketCount

    package init() {
        buckets = (0..<Self.bucketCount).map { _ in ManagedAtomic<UInt64>(0) }
        failuresByClass = FailureClass.allCases.map { _ in ManagedAtomic<UInt64>(0) }
    }

    func record(_ sample: Sample) {
        requests.wrappingIncrement(ordering: .relaxed)
        guard case .success = sample.outcome else {
            failures.wrappingIncrement(ordering: .relaxed)
            if let failure = sample.outcome.failure,
                let index = FailureClass.allCases.firstIndex(of: failure.failureClass)
            {
                failuresByClass[index].wrappingIncrement(ordering: .relaxed)
            }
            return
        }
        let micros = max(1, sample.latency.nanoseconds / 1000)
        buckets[Self.bucket(ofMicroseconds: UInt64(micros))].wrappingIncrement(ordering: .relaxed)
    }

    static func bucket(ofMicroseconds micros: UInt64) -> Int { QuarterOctave.bucket(ofMicroseconds: micros) }

    func sessionOpened() { openSessions.wrappingIncrement(ordering: .relaxed) }
    /// A client's first session opened or failed: it is past its start-up.
    /// Returns how many clients have settled, this one included.
    func clientSettled() -> Int { clientsSettled.wrappingIncrementThenLoad(ordering: .relaxed) }
    func sessionClosed() {
        openSessions.wrappingDecrement(ordering: .relaxed)
        sessionsClosed.wrappingIncrement(ordering: .relaxed)
    }

    /// Sessions closed so far.
    var closedSessions: UInt64 { sessionsClosed.load(ordering: .relaxed) }

    /// Every counter as it stands, for the timeline's per-second deltas.
    struct Counts: Sendable {
        var requests: UInt64 = 0
        var failuresByClass: [UInt64] = FailureClass.allCases.map { _ in 0 }
        var latencyBuckets: [UInt64] = Array(repeating: 0, count: LiveCounters.bucketCount)
        var openSessions = 0
        var clientsSettled = 0
    }

    func counts() -> Counts {
        Counts(
            requests: requests.load(ordering: .relaxed),
            failuresByClass: failuresByClass.map { $0.load(ordering: .relaxed) },
            latencyBuckets: buckets.map { $0.load(ordering: .relaxed) },
            openSessions: openSessions.load(ordering: .relaxed),
            clientsSettled: clientsSettled.load(ordering: .relaxed))
    }

    /// What has happened so far.
    package struct Snapshot: Sendable, Equatable {
        package var requests: UInt64
        package var failures: UInt64
        /// Microseconds, the upper edge of the bucket holding the 99th percentile (within 19%
        /// above the exact figure); nil before any success.
        package var p99: Double?
    }

    package func snapshot() -> Snapshot {
        let counts = buckets.map { $0.load(ordering: .relaxed) }
        let p99 = QuarterOctave.percentile(99, of: counts.enumerated().map { ($0.offset, $0.element) })
        return Snapshot(
            requests: requests.load(ordering: .relaxed), failures: failures.load(ordering: .relaxed), p99: p99)
    }
}
