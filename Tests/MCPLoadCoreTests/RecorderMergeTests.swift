import Foundation
import Testing

@testable import MCPLoadCore

@Suite("Recorders, histograms and results")
struct RecorderMergeTests {
    private let steps = [
        Step(action: .listTools, label: "list_tools"),
        Step(action: .think(.milliseconds(1)), label: "think"),
        Step(action: .ping, label: "ping"),
    ]

    private func recorder(_ client: Int, latencies: [Int], failures: [FailureClass]) -> Recorder {
        var recorder = Recorder(virtualClient: client, steps: steps)
        for micros in latencies {
            recorder.record(
                Sample(stepIndex: 0, outcome: .success, latency: .microseconds(micros), bytesOut: 10, bytesIn: 20))
        }
        for failureClass in failures {
            let failure = Failure(failureClass, code: failureClass == .jsonrpcError ? -32603 : nil, "boom")
            recorder.record(
                Sample(stepIndex: 2, outcome: .failure(failure), latency: .milliseconds(1), bytesOut: 5, bytesIn: 0))
        }
        return recorder
    }

    @Test("merging recorders adds counts, classes, codes, bytes and histograms exactly")
    func merge() {
        let result = RunResult(
            runID: "r",
            scenario: .init(
                name: "s", file: nil, target: "t", transport: "stdio", virtualClients: 2, iterations: 1,
                durationSeconds: nil, rampUpSeconds: 0, thinkSeconds: 0, protocolVersion: "2025-11-25"),
            status: .completed, statusReason: nil, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 2),
            recorders: [
                recorder(1, latencies: [100, 200, 300], failures: [.timeout, .jsonrpcError]),
                recorder(2, latencies: [400], failures: [.notSent, .jsonrpcError]),
            ])
        #expect(result.steps.map(\.label) == ["list_tools", "ping"])
        let list = result.steps[0]
        #expect(list.attempts == 4 && list.successes == 4)
        #expect(list.latency.count == 4)
        #expect(list.latency.maxMicroseconds >= 399 && list.latency.maxMicroseconds <= 401)
        #expect(list.bytesOut == 40 && list.bytesIn == 80)
        let ping = result.steps[1]
        #expect(ping.failures.byClass == [.timeout: 1, .jsonrpcError: 2, .notSent: 1])
        #expect(ping.failures.byCode[.jsonrpcError] == ["-32603": 2])
        #expect(result.totals.neverSent == 1)
        #expect(result.totals.sentAndFailed == 3)
        #expect(result.totals.requestsPerSecond == 4)
        // Not-sent attempts have no latency: only the three sent failures are in the histogram.
        #expect(ping.failedLatency.count == 3)
    }

    @Test("result.json round-trips losslessly, histograms included")
    func roundTrip() throws {
        var histogram = LatencyHistogram()
        for micros in [1, 7, 1000, 1001, 65_000, 3_000_000] { histogram.recordMicroseconds(UInt64(micros), count: 3) }
        let result = RunResult(
            runID: "r",
            scenario: .init(
                name: "s", file: "f.yaml", target: "t", transport: "stdio", virtualClients: 1, iterations: nil,
                durationSeconds: 5, rampUpSeconds: 0, thinkSeconds: 0, protocolVersion: "2025-11-25"),
            status: .aborted, statusReason: "why", startedAt: Date(timeIntervalSince1970: 1_700_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_700_000_005),
            recorders: [recorder(1, latencies: [5, 50, 500, 5000], failures: [.protocol])])
        let decoded = try RunResult.decode(from: try result.encodedJSON())
        #expect(decoded == result)
        let json = String(decoding: try result.encodedJSON(), as: UTF8.self)
        #expect(json.contains("\"schema\" : \"mcpload.result/v1\""))

        let data = try JSONEncoderForTests.encode(histogram)
        let back = try JSONDecoder().decode(LatencyHistogram.self, from: data)
        #expect(back == histogram)
        #expect(back.microseconds(atPercentile: 50) == histogram.microseconds(atPercentile: 50))
    }
}

enum JSONEncoderForTests {
    static func encode(_ value: some Encodable) throws -> Data { try JSONEncoder().encode(value) }
}
