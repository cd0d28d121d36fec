import Foundation
import Testing

@testable import MCPLoadCore

@Suite("Timeline")
struct TimelineTests {
    @Test("bucket edges are quarter octaves: 2^((i + 1) / 4) microseconds")
    func edges() {
        for index in [0, 1, 2, 3, 4, 13, 40, 111] {
            let exact = pow(2, Double(index + 1) / 4)
            #expect(abs(Timeline.upperEdge(ofBucket: index) - exact) / exact < 1e-12, "\(index)")
        }
    }

    @Test("a second's percentile is the upper edge of the bucket its rank falls in")
    func percentile() {
        // 90 successes in bucket 40 (1 ms .. 1.19 ms), 10 in bucket 53 (≈ 9.5 ms).
        let second = Timeline.Second(
            at: 0, requests: 100, failures: [:], latencyBuckets: [[53, 10], [40, 90]], openSessions: 1)
        #expect(second.latencyMicroseconds(atPercentile: 50) == Timeline.upperEdge(ofBucket: 40))
        #expect(second.latencyMicroseconds(atPercentile: 99) == Timeline.upperEdge(ofBucket: 53))
        let empty = Timeline.Second(at: 0, requests: 3, failures: [.timeout: 3], latencyBuckets: [], openSessions: 0)
        #expect(empty.latencyMicroseconds(atPercentile: 99) == nil)
        #expect(empty.failureCount == 3)
    }

    @Test("timelines of two shards merge second by second, exactly")
    func merge() {
        var first = Timeline(seconds: [
            .init(at: 0, requests: 10, failures: [.timeout: 1], latencyBuckets: [[40, 9]], openSessions: 2),
            .init(at: 1, requests: 5, failures: [:], latencyBuckets: [[41, 5]], openSessions: 2),
        ])
        let second = Timeline(seconds: [
            .init(at: 1, requests: 7, failures: [.timeout: 2], latencyBuckets: [[40, 1], [41, 4]], openSessions: 3),
            .init(at: 2, requests: 1, failures: [:], latencyBuckets: [[39, 1]], openSessions: 1),
        ])
        first.merge(second)
        #expect(first.seconds.map(\.at) == [0, 1, 2])
        #expect(first.seconds.map(\.requests) == [10, 12, 1])
        #expect(first.seconds[1].failures == [.timeout: 2])
        #expect(first.seconds[1].latencyBuckets == [[40, 1], [41, 9]])
        #expect(first.seconds[1].openSessions == 5)
    }
}
