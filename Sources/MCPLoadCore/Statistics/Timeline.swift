/// The run second by second: requests, failures by class, latency, open sessions.
///
/// Latencies are kept as counts in ``QuarterOctave`` buckets, so seconds of several results
/// (shards) merge exactly by adding counts. A long run is kept within ``capacity`` buckets:
/// past it, neighbouring buckets merge pairwise (exactly: counts add), so a day-long soak has
/// a timeline of a few megabytes at 16-second resolution rather than an ever-growing one.
package struct Timeline: Sendable, Equatable, Codable {
    package var seconds: [Second] = []

    /// At most this many buckets; two hours at one second each.
    package static let capacity = 7200

    package init(seconds: [Second] = []) {
        self.seconds = seconds
    }

    package struct Second: Sendable, Equatable, Codable {
        /// Seconds since the run started: this bucket covers `[at, at + span)`.
        package var at: Int
        /// How many seconds the bucket covers; absent (1) until the timeline was coarsened.
        package var width: Int?
        package var requests: UInt64
        /// Failed requests by class; classes with none are left out.
        package var failures: [FailureClass: UInt64]
        /// `[bucket, count]` pairs of successful requests' latency, non-zero buckets only: the
        /// shape result.json has. Kept packed, one word per bucket (the bucket in the top 16
        /// bits, the count below), so a second costs one small array and not one per bucket: a
        /// long run's timeline grows by a fraction of what it did (a soak's +120 KiB a minute).
        package var latencyBuckets: [[UInt64]] {
            get { packedLatency.map { [$0 >> Self.countBits, $0 & Self.countMask] } }
            set { packedLatency = newValue.compactMap(Self.pack) }
        }
        private var packedLatency: [UInt64] = []
        /// Sessions open at the end of the second.
        package var openSessions: Int

        private static let countBits: UInt64 = 48
        private static let countMask: UInt64 = (1 << 48) - 1

        /// A `[bucket, count]` pair as one word; counts past 2^48 (no second holds that many)
        /// are clamped, and a bucket index past 16 bits is not a bucket.
        private static func pack(_ pair: [UInt64]) -> UInt64? {
            guard pair.count == 2, pair[0] < 1 << 16 else { return nil }
            return pair[0] << countBits | min(pair[1], countMask)
        }

        private enum CodingKeys: String, CodingKey {
            case at, width, requests, failures, latencyBuckets, openSessions
        }

        package init(
            at: Int, requests: UInt64, failures: [FailureClass: UInt64], latencyBuckets: [[UInt64]], openSessions: Int
        ) {
            self.at = at
            self.requests = requests
            self.failures = failures
            self.openSessions = openSessions
            self.latencyBuckets = latencyBuckets
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            at = try container.decode(Int.self, forKey: .at)
            width = try container.decodeIfPresent(Int.self, forKey: .width)
            requests = try container.decode(UInt64.self, forKey: .requests)
            failures = try container.decode([FailureClass: UInt64].self, forKey: .failures)
            openSessions = try container.decode(Int.self, forKey: .openSessions)
            latencyBuckets = try container.decode([[UInt64]].self, forKey: .latencyBuckets)
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(at, forKey: .at)
            try container.encodeIfPresent(width, forKey: .width)
            try container.encode(requests, forKey: .requests)
            try container.encode(failures, forKey: .failures)
            try container.encode(latencyBuckets, forKey: .latencyBuckets)
            try container.encode(openSessions, forKey: .openSessions)
        }

        package var failureCount: UInt64 { failures.values.reduce(0, +) }

        /// Seconds the bucket covers.
        package var span: Int { max(1, width ?? 1) }

        /// Requests per second over the bucket.
        package var requestRate: Double { Double(requests) / Double(span) }

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
        package func latencyMicroseconds(atPercentile percentile: Double) -> Double? {
            QuarterOctave.percentile(
                percentile, of: latencyBuckets.compactMap { $0.count == 2 ? (Int($0[0]), $0[1]) : nil })
        }
    }

    /// `2^((i + 1) / 4)` microseconds: see ``QuarterOctave``.
    package static func upperEdge(ofBucket index: Int) -> Double {
        QuarterOctave.upperEdge(ofBucket: index)
    }

    /// Appends the second that starts at `second.at`, into the last bucket while it still spans
    /// it; past ``capacity`` buckets, neighbours merge and every bucket covers twice as long.
    package mutating func append(_ second: Second) {
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
    package mutating func merge(_ other: Timeline) {
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
