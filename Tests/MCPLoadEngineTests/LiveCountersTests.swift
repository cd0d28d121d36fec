import MCPLoadCore
import MCPLoadReport
import Testing

@testable import MCPLoadEngine

@Suite("Live progress")
struct LiveCountersTests {
    @Test("counts requests and failures; p99 so far is the upper edge of its quarter-octave bucket")
    func snapshot() {
        let live = LiveCounters()
        #expect(live.snapshot() == .init(requests: 0, failures: 0, p99: nil))
        for _ in 0..<99 {
            live.record(Sample(stepIndex: 0, outcome: .success, latency: .milliseconds(1), bytesOut: 1, bytesIn: 1))
        }
        live.record(Sample(stepIndex: 0, outcome: .success, latency: .milliseconds(100), bytesOut: 1, bytesIn: 1))
        live.record(
            Sample(
                stepIndex: 0, outcome: .failure(Failure(.timeout, "late")), latency: .seconds(1), bytesOut: 1,
                bytesIn: 0))
        let snapshot = live.snapshot()
        #expect(snapshot.requests == 101)
        #expect(snapshot.failures == 1)
        // 99 of 100 successes took 1 ms: the 99th percentile lies in 1 ms's bucket, whose upper
        // edge is within a quarter octave (19%) above it.
        let p99 = snapshot.p99 ?? 0
        #expect(p99 > 1000 && p99 <= 1190)
        #expect(LiveCounters.bucket(ofMicroseconds: 1) == 0)
        #expect(LiveCounters.bucket(ofMicroseconds: 1 << 40) == LiveCounters.bucketCount - 1)
    }

    @Test("run-wide metrics read from the live totals, as abortOnFail checks them")
    func liveMetrics() {
        let live = LiveCounters()
        for index in 0..<10 {
            let outcome: Outcome =
                index < 2 ? .failure(Failure(index == 0 ? .notSent : .timeout, "x")) : .success
            live.record(Sample(stepIndex: 0, outcome: outcome, latency: .milliseconds(1), bytesOut: 1, bytesIn: 1))
        }
        let counts = live.counts()
        #expect(counts.measure(.failureRate(step: nil), elapsedSeconds: 2) == 0.2)
        #expect(counts.measure(.requestRate(step: nil), elapsedSeconds: 2) == 5)
        #expect(counts.measure(.failures(.timeout, code: nil, step: nil), elapsedSeconds: 2) == 1)
        #expect(counts.measure(.failures(nil, code: nil, step: nil), elapsedSeconds: 2) == 2)
        #expect(counts.measure(.neverSent(step: nil), elapsedSeconds: 2) == 1)
        #expect(counts.measure(.sentAndFailed(step: nil), elapsedSeconds: 2) == 1)
        #expect(counts.measure(.successes(step: nil), elapsedSeconds: 2) == 8)
        let p99 = counts.measure(.latency(.percentile(99), of: .allSteps), elapsedSeconds: 2) ?? 0
        #expect(p99 > 1000 && p99 <= 1190)
    }

    @Test("the progress line says where the run is, how fast, how many failed, and p99 so far")
    func line() {
        #expect(
            ProgressLine.render(
                elapsed: 3.04, total: 10, clients: 20, requests: 6012, failures: 1, recentRate: 2003.26,
                p99Micros: 6100) == "  3.0s/10.0s  20 clients  2003.3 req/s  6012 requests  1 error  p99 ≤6.10ms")
        #expect(
            ProgressLine.render(
                elapsed: 1, total: nil, clients: 2, requests: 0, failures: 0, recentRate: 0, p99Micros: nil)
                == "  1.0s  2 clients  0.0 req/s  0 requests  0 errors  p99 -")
    }
}
