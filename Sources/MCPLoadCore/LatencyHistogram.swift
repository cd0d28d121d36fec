import Histogram

/// Latencies in microseconds in an HdrHistogram (3 significant digits), stored losslessly.
///
/// On disk the histogram is its non-zero buckets as `[value, count]` pairs: re-recording each
/// pair rebuilds an equal histogram, so saved results merge and compare exactly.
public struct LatencyHistogram: Sendable {
    private var histogram: Histogram<UInt64>

    public init() {
        // Auto-resizing from one second keeps a fresh histogram small (~80 KB); thousands of
        // per-client, per-step histograms must fit in memory during a run.
        histogram = Histogram(highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
    }

    public mutating func record(_ duration: Duration) {
        recordMicroseconds(UInt64(max(1, duration.nanoseconds / 1000)))
    }

    public mutating func recordMicroseconds(_ micros: UInt64, count: UInt64 = 1) {
        _ = histogram.record(max(1, micros), count: count)
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
    }

    public var count: UInt64 { histogram.totalCount }

    /// The value at `percentile` (0...100) in microseconds; 0 when empty.
    public func microseconds(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    public var maxMicroseconds: UInt64 { count == 0 ? 0 : histogram.max }
    public var minMicroseconds: UInt64 { count == 0 ? 0 : histogram.min }
    public var meanMicroseconds: Double { count == 0 ? 0 : histogram.mean }

    /// The non-zero buckets, lowest first.
    public var buckets: [Bucket] {
        histogram.recordedValues().map { Bucket(value: $0.value, count: $0.count) }
    }

    public struct Bucket: Sendable, Hashable {
        public var value: UInt64
        public var count: UInt64
    }

    public var summary: LatencySummary {
        LatencySummary(
            count: count,
            min: minMicroseconds,
            mean: meanMicroseconds,
            p50: microseconds(atPercentile: 50),
            p90: microseconds(atPercentile: 90),
            p99: microseconds(atPercentile: 99),
            p999: microseconds(atPercentile: 99.9),
            max: maxMicroseconds)
    }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey {
        case unit, significantDigits, buckets, summary
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        for pair in try container.decode([[UInt64]].self, forKey: .buckets) {
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .buckets, in: container, debugDescription: "a bucket is [value, count]")
            }
            recordMicroseconds(pair[0], count: pair[1])
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("us", forKey: .unit)
        try container.encode(3, forKey: .significantDigits)
        try container.encode(buckets.map { [$0.value, $0.count] }, forKey: .buckets)
        // Derived from the buckets, for readers with jq; decoding ignores it.
        try container.encode(summary, forKey: .summary)
    }
}

extension LatencyHistogram: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.buckets == rhs.buckets }
}

/// The percentiles people read, in microseconds: what the summary table and result.json show.
public struct LatencySummary: Sendable, Hashable, Codable {
    public var count: UInt64
    public var min: UInt64
    public var mean: Double
    public var p50: UInt64
    public var p90: UInt64
    public var p99: UInt64
    public var p999: UInt64
    public var max: UInt64
}
