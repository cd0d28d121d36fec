/// The run second by second: requests, failures by class, latency, open sessions.
///
/// Latencies are kept as counts in ``QuarterOctave`` buckets, so seconds of several results
/// (shards) merge exactly by adding counts. A long run is kept within ``capacity`` buckets:
/// past it, neighbouring buckets merge pairwise (exactly: counts add), so a day-long soak has
/// a timeline of a few megabytes at 16-second resolution rather than an ever-growing one.
public struct Timeline: Sendable, Equatable, Codable {
    public var seconds: [Second] = []

    /// At most this many buckets; two hours at one second each.
    public static let capacity = 7200

    public init(seconds: [Second] = []) {
        self.seconds = seconds
    }

    public struct Second: Sendable, Equatable, Codable {
        /// Seconds since the run started: this bucket covers `[at, at + span)`.
        public var at: Int
        /// How many seconds the bucket covers; absent (1) until the timeline was coarsened.
        public var width: Int?
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

        /// Seconds the bucket covers.
        public var span: Int { max(1, width ?? 1) }

        /// Requests per second over the bucket.
        public var requestRate: Double { Double(requests) / Double(span) }

        /// Adds a later bucket's counts to this one; open sessions are the later bucket's.
        mutating func absorb(_ later: Second) {
            requests += later.requests
            failures.merge(later.failures, uniquingKeysWith: +)
            var counts: [UInt64: UInt64] = [:]
            for pair in latencyBuckets + later.latencyBuckets where pair.count == 2 {
                counts[pair[0], default: 0] += pair[1]
            }
            latencyBuckets = counts.keys.sorted().map { [$0, counts[$0] ?? 0] }
            openSessions = later.openSessions
        }

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

    /// Appends the second that starts at `second.at`, into the last bucket while it still spans
    /// it; past ``capacity`` buckets, neighbours merge and every bucket covers twice as long.
    public mutating func append(_ second: Second) {
        if let last = seconds.last, second.at < last.at + last.span {
            seconds[seconds.count - 1].absorb(second)
            return
        }
        var bucket = second
        let span = seconds.last?.span ?? 1
        bucket.width = span > 1 ? span : nil
        seconds.append(bucket)
        if seconds.count > Self.capacity { coarsen() }
    }

    /// Merges neighbouring buckets pairwise: half as many, each twice as long.
    mutating func coarsen() {
        let span = (seconds.first?.span ?? 1) * 2
        var merged: [Second] = []
        merged.reserveCapacity(seconds.count / 2 + 1)
        for second in seconds {
            let start = second.at - second.at % span
            if let last = merged.last, last.at == start {
                merged[merged.count - 1].absorb(second)
            } else {
                var bucket = second
                bucket.at = start
                bucket.width = span
                merged.append(bucket)
            }
        }
        seconds = merged
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
