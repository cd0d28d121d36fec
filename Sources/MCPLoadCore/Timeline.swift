/// The run second by second: requests, failures by class, latency, open sessions.
///
/// Latencies are kept as counts in ``QuarterOctave`` buckets, so seconds of several results
/// (shards) merge exactly by adding counts.
public struct Timeline: Sendable, Equatable, Codable {
    public var seconds: [Second] = []

    public init(seconds: [Second] = []) {
        self.seconds = seconds
    }

    public struct Second: Sendable, Equatable, Codable {
        /// Seconds since the run started: this bucket covers `[at, at + 1)`.
        public var at: Int
        public var requests: UInt64
        /// Failed requests by class; classes with none are left out.
        public var failures: [FailureClass: UInt64]
        /// `[bucket, count]` pairs of successful requests' latency, non-zero buckets only.
        public var latencyBuckets: [[UInt64]]
        /// Sessions open at the end of the second.
        public var openSessions: Int

        public init(
            at: Int, requests: UInt64, failures: [FailureClass: UInt64], latencyBuckets: [[UInt64]], openSessions: Int
        ) {
            self.at = at
            self.requests = requests
            self.failures = failures
            self.latencyBuckets = latencyBuckets
            self.openSessions = openSessions
        }

        public var failureCount: UInt64 { failures.values.reduce(0, +) }

        /// The latency at `percentile` (0...100) of the second's successes, in microseconds: the
        /// upper edge of the bucket it falls in; nil without successes.
        public func latencyMicroseconds(atPercentile percentile: Double) -> Double? {
            QuarterOctave.percentile(
                percentile, of: latencyBuckets.compactMap { $0.count == 2 ? (Int($0[0]), $0[1]) : nil })
        }
    }

    /// `2^((i + 1) / 4)` microseconds: see ``QuarterOctave``.
    public static func upperEdge(ofBucket index: Int) -> Double {
        QuarterOctave.upperEdge(ofBucket: index)
    }

    /// Adds another result's seconds to these, second by second.
    public mutating func merge(_ other: Timeline) {
        for second in other.seconds {
            guard let index = seconds.firstIndex(where: { $0.at == second.at }) else {
                seconds.append(second)
                continue
            }
            seconds[index].requests += second.requests
            seconds[index].failures.merge(second.failures, uniquingKeysWith: +)
            var counts: [UInt64: UInt64] = [:]
            for pair in seconds[index].latencyBuckets + second.latencyBuckets where pair.count == 2 {
                counts[pair[0], default: 0] += pair[1]
            }
            seconds[index].latencyBuckets = counts.keys.sorted().map { [$0, counts[$0] ?? 0] }
            seconds[index].openSessions += second.openSessions
        }
        seconds.sort { $0.at < $1.at }
    }
}
