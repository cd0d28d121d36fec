import Foundation

/// Quarter-octave latency buckets, where the live counters, the timeline and `abortOnFail`
/// keep coarse latencies: bucket `i` holds `[2^(i/4), 2^((i+1)/4))` microseconds, so a
/// percentile read from the counts (the upper edge of its bucket) is within 19% above the
/// true value, and counts merge by adding.
package enum QuarterOctave {
    /// From 1 µs up to about 2^28 µs (4.5 min); longer lands in the last.
    package static let bucketCount = 4 * 28

    /// `⌊4 · log2(µs)⌋`, clamped to the buckets.
    package static func bucket(ofMicroseconds micros: UInt64) -> Int {
        let index = Int((4 * log2(Double(max(1, micros)))).rounded(.down))
        return min(max(0, index), bucketCount - 1)
    }

    /// `2^((index + 1) / 4)` microseconds.
    package static func upperEdge(ofBucket index: Int) -> Double {
        pow(2, Double(index + 1) / 4)
    }

    /// The value at `percentile` (0...100) of `counts` (bucket, count pairs, in any order): the
    /// upper edge of the bucket its rank falls in; nil when there are no counts.
    package static func percentile(_ percentile: Double, of counts: [(bucket: Int, count: UInt64)]) -> Double? {
        let total = counts.reduce(UInt64(0)) { $0 + $1.count }
        guard total > 0 else { return nil }
        let rank = max(1, UInt64((Double(total) * percentile / 100).rounded(.up)))
        var seen: UInt64 = 0
        for (bucket, count) in counts.sorted(by: { $0.bucket < $1.bucket }) {
            seen += count
            if seen >= rank { return upperEdge(ofBucket: bucket) }
        }
        return nil
    }
}
