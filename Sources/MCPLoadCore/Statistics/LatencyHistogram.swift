import Histogram

/// Latencies in microseconds in an HdrHistogram (3 significant digits), stored losslessly.
///
/// On disk the histogram is its non-zero buckets as `[value, count]` pairs: re-recording each
/// pair rebuilds an equal histogram, so saved results merge and compare exactly.
///
/// Every client keeps its own histograms (recording takes no lock), so at ten thousand
/// sessions their size is the harness's memory. A histogram therefore starts as a short list of
/// the values themselves and becomes an HdrHistogram (~80 KB) only past ``inlineLimit``
/// samples: idle sessions and steps that never fail cost almost nothing, busy ones get the full
/// structure. Both forms give the same percentiles: the list is recorded into the histogram
/// whenever one is needed.
package struct LatencyHistogram: Sendable {
    private var histogram: Histogram<UInt64>?
    private var samples: [UInt64] = []

    /// Past this many samples the values move into an HdrHistogram.
    static let inlineLimit = 64

    package init() {}

    private static func makeHistogram() -> Histogram<UInt64> {
        // Auto-resizing from one second keeps a fresh histogram small.
        var histogram = Histogram<UInt64>(highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    package mutating func record(_ duration: Duration) {
        recordMicroseconds(UInt64(max(1, duration.nanoseconds / 1000)))
    }

    package mutating func recordMicroseconds(_ micros: UInt64, count: UInt64 = 1) {
        let value = max(1, micros)
        if histogram == nil, count == 1, samples.count < Self.inlineLimit {
            samples.append(value)
            return
        }
        promote()
        _ = histogram?.record(value, count: count)
    }

    /// Moves the inline samples into an HdrHistogram, creating it if needed.
    private mutating func promote() {
        if histogram == nil { histogram = Self.makeHistogram() }
        guard !samples.isEmpty else { return }
        for value in samples { _ = histogram?.record(value) }
        samples = []
    }

    package mutating func merge(_ other: LatencyHistogram) {
        for value in other.samples { recordMicroseconds(value) }
        guard let theirs = other.histogram, theirs.totalCount > 0 else { return }
        promote()
        histogram?.add(theirs)
    }

    /// Everything recorded, as one HdrHistogram: built on demand from the inline samples.
    private var complete: Histogram<UInt64> {
        if samples.isEmpty, let histogram { return histogram }
        var complete = histogram ?? Self.makeHistogram()
        for value in samples { _ = complete.record(value) }
        return complete
    }

    package var count: UInt64 { (histogram?.totalCount ?? 0) + UInt64(samples.count) }

    /// The value at `percentile` (0...100) in microseconds; 0 when empty.
    ///
    /// Always the top of the value's bucket: HdrHistogram clamps percentiles to the exact
    /// largest value recorded, which a saved result (buckets only) no longer knows, and a
    /// report rendered again from result.json must show the same figures as the first time.
    package func microseconds(atPercentile percentile: Double) -> UInt64 {
        microseconds(atPercentiles: [percentile])[0]
    }

    /// Several percentiles at once: the inline samples become one histogram, not one per value.
    package func microseconds(atPercentiles percentiles: [Double]) -> [UInt64] {
        guard count > 0 else { return percentiles.map { _ in 0 } }
        let complete = complete
        return percentiles.map { Self.percentile($0, in: complete) }
    }

    private static func percentile(_ percentile: Double, in histogram: Histogram<UInt64>) -> UInt64 {
        percentile <= 0
            ? histogram.minNonZero : histogram.highestEquivalentForValue(histogram.valueAtPercentile(percentile))
    }

    package var maxMicroseconds: UInt64 { count == 0 ? 0 : complete.max }
    /// The bottom of the smallest value's bucket, for the same reason.
    package var minMicroseconds: UInt64 { count == 0 ? 0 : complete.minNonZero }
    package var meanMicroseconds: Double { count == 0 ? 0 : complete.mean }

    /// The non-zero buckets, lowest first.
    package var buckets: [Bucket] {
        count == 0 ? [] : complete.recordedValues().map { Bucket(value: $0.value, count: $0.count) }
    }

    package struct Bucket: Sendable, Hashable {
        package var value: UInt64
        package var count: UInt64
    }

    package var summary: LatencySummary {
        guard count > 0 else {
            return LatencySummary(count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0)
        }
        // Built once for all eight figures.
        let complete = complete
        return LatencySummary(
            count: count,
            min: complete.minNonZero,
            mean: complete.mean,
            p50: Self.percentile(50, in: complete),
            p90: Self.percentile(90, in: complete),
            p99: Self.percentile(99, in: complete),
            p999: Self.percentile(99.9, in: complete),
            max: complete.max)
    }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey {
        case unit, significantDigits, buckets, summary
    }

    package init(from decoder: any Decoder) throws {
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

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("us", forKey: .unit)
        try container.encode(3, forKey: .significantDigits)
        try container.encode(buckets.map { [$0.value, $0.count] }, forKey: .buckets)
        // Derived from the buckets, for readers with jq; decoding ignores it.
        try container.encode(summary, forKey: .summary)
    }
}

extension LatencyHistogram: Equatable {
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.buckets == rhs.buckets }
}

/// The percentiles people read, in microseconds: what the summary table and result.json show.
package struct LatencySummary: Sendable, Hashable, Codable {
    package var count: UInt64
    package var min: UInt64
    package var mean: Double
    package var p50: UInt64
    package var p90: UInt64
    package var p99: UInt64
    package var p999: UInt64
    package var max: UInt64
}
