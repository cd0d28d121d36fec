import Foundation
import Testing

@testable import MCPLoadCore

@Suite("Latency histogram")
struct LatencyHistogramTests {
    /// Deterministic spread values: 1 µs to several seconds.
    static func values(_ count: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return 1 + (state >> 33) % 5_000_000
        }
    }

    @Test("the inline form and the HdrHistogram give the same figures, either side of the limit")
    func sameFigures() {
        for count in [1, LatencyHistogram.inlineLimit, LatencyHistogram.inlineLimit + 1, 1_000] {
            var inline = LatencyHistogram()
            var full = LatencyHistogram()
            for value in Self.values(count, seed: UInt64(count)) {
                inline.recordMicroseconds(value)
                // A count of 2 then 1 less forces the HdrHistogram from the first sample.
                full.recordMicroseconds(value, count: 2)
            }
            var doubled = LatencyHistogram()
            for value in Self.values(count, seed: UInt64(count)) + Self.values(count, seed: UInt64(count)) {
                doubled.recordMicroseconds(value)
            }
            #expect(doubled.buckets == full.buckets, "\(count)")
            #expect(doubled.summary == full.summary, "\(count)")
            #expect(inline.count == UInt64(count))
            #expect(inline.summary.p50 == full.summary.p50, "\(count)")
        }
    }

    @Test("merges across forms and survives encoding unchanged")
    func mergeAndCoding() throws {
        var small = LatencyHistogram()
        for value in Self.values(10, seed: 1) { small.recordMicroseconds(value) }
        var large = LatencyHistogram()
        for value in Self.values(500, seed: 2) { large.recordMicroseconds(value) }
        var expected = LatencyHistogram()
        for value in Self.values(10, seed: 1) + Self.values(500, seed: 2) { expected.recordMicroseconds(value) }
        var merged = small
        merged.merge(large)
        #expect(merged == expected)
        var other = large
        other.merge(small)
        #expect(other == expected)
        let decoded = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(small))
        // Equal buckets: what merging and comparing saved results rely on.
        #expect(decoded == small && decoded.count == small.count)
        #expect(LatencyHistogram().summary.count == 0 && LatencyHistogram().buckets.isEmpty)
    }

    @Test("a saved histogram reads back with the same summary, so a report rendered again is the same report")
    func savedSummary() throws {
        for seed in UInt64(1)...UInt64(40) {
            var histogram = LatencyHistogram()
            for value in Self.values(Int(seed % 7) + 2, seed: seed) {
                histogram.recordMicroseconds(value / 100 + 20_000)
            }
            let decoded = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(histogram))
            #expect(decoded.summary == histogram.summary, "seed \(seed): \(decoded.summary) vs \(histogram.summary)")
        }
    }
}
