import Foundation
import Testing

@testable import MCPLoadCore

@Suite("Thresholds")
struct ThresholdTests {
    private let parser = ThresholdParser(stepLabels: ["list_tools", "call echo"])

    private func parse(_ text: String) throws(ThresholdParser.SyntaxError) -> Threshold { try parser.parse(text) }

    private func message(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("every metric form parses into its metric, comparison and limit in the metric's unit")
    func forms() throws {
        let cases: [(String, ThresholdMetric, Threshold.Comparison, Double)] = [
            ("failure_rate < 1%", .failureRate(step: nil), .lessThan, 0.01),
            ("failure_rate(call echo) <= 0.5%", .failureRate(step: "call echo"), .atMost, 0.005),
            ("p99(call echo) < 250ms", .latency(.percentile(99), of: .step("call echo")), .lessThan, 250_000),
            ("p99.9 < 1.5s", .latency(.percentile(99.9), of: .allSteps), .lessThan, 1_500_000),
            ("max(setup) < 800us", .latency(.max, of: .sessionSetup), .lessThan, 800),
            ("mean(session setup) > 1ms", .latency(.mean, of: .sessionSetup), .greaterThan, 1000),
            ("rate >= 200/s", .requestRate(step: nil), .atLeast, 200),
            ("rate(list_tools) > 10", .requestRate(step: "list_tools"), .greaterThan, 10),
            ("errors == 0", .failures(nil, code: nil, step: nil), .equal, 0),
            ("errors.timeout == 0", .failures(.timeout, code: nil, step: nil), .equal, 0),
            (
                "errors.jsonrpc_error.-32603(call echo) < 5", .failures(.jsonrpcError, code: -32603, step: "call echo"),
                .lessThan, 5
            ),
            ("errors.http_status.429 != 3", .failures(.httpStatus, code: 429, step: nil), .notEqual, 3),
            ("requests >= 100", .attempts(step: nil), .atLeast, 100),
            ("successes(call echo) >= 100", .successes(step: "call echo"), .atLeast, 100),
            ("never_sent == 0", .neverSent(step: nil), .equal, 0),
            ("sent_and_failed == 0", .sentAndFailed(step: nil), .equal, 0),
            ("sessions.failed == 0", .sessionsFailed, .equal, 0),
            ("sessions.expired < 2", .sessionsExpired, .lessThan, 2),
            ("dropped == 0", .dropped, .equal, 0),
            ("leaks.cross_session == 0", .leaks(nil, .crossSession), .equal, 0),
            ("leaks.email.exposed < 5", .leaks(.email, .exposed), .lessThan, 5),
        ]
        for (text, metric, comparison, limit) in cases {
            let threshold = try parse(text)
            #expect(threshold.metric == metric, "\(text)")
            #expect(threshold.comparison == comparison, "\(text)")
            #expect(threshold.limit == limit, "\(text)")
            #expect(threshold.expression == text)
        }
    }

    @Test(
        "mistakes say what is wrong",
        arguments: [
            ("p99(call echo) 250ms", "no comparison"),
            ("p99 < 250", "'250' is not a duration"),
            ("failure_rate < 0.01", "'0.01' is not a percentage"),
            ("errors.timeout == 1.5", "'1.5' is not a count"),
            (
                "p99(call ech) < 1s",
                "no step labelled 'call ech'; the steps that send requests are 'list_tools', 'call echo'"
            ),
            ("latency < 1s", "unknown metric 'latency'"),
            ("errors.slow == 0", "unknown failure class 'slow'"),
            ("errors.http_status.teapot == 0", "'teapot' is not a code"),
            ("dropped(call echo) == 0", "'dropped' is about the whole run"),
            ("p99 < ", "a value is missing"),
            ("leaks.leaked == 0", "write leaks.COUNTER or leaks.DETECTOR.COUNTER"),
            ("leaks.phone.exposed == 0", "unknown leak detector 'phone'"),
        ])
    func errors(text: String, expected: String) {
        #expect(message(text)?.hasPrefix(expected) == true, "\(message(text) ?? "parsed")")
    }

    @Test("a bad threshold in a scenario is a file:line error, found before any load")
    func scenarioLine() {
        let yaml = """
            target: { builtin: demo }
            steps: [list_tools]
            thresholds:
              - "failure_rate < 1%"
              - "p99(call echo) < 1s"
            """
        let message = ScenarioText.error(yaml)
        #expect(message?.hasPrefix("s.yaml:5: threshold 'p99(call echo) < 1s': no step labelled") == true)
    }

    /// 10 attempts of `call echo` at 1…10 ms, 2 of them failed (one timeout, one -32603); 4 s long.
    private func fixedResult() -> RunResult {
        var recorder = Recorder(
            virtualClient: 1,
            steps: [Step(action: .callTool(name: "echo", arguments: .literal([:])), label: "call echo")])
        recorder.recordSessionOpened(setup: .milliseconds(30), protocolVersion: "2025-11-25")
        for millisecond in 1...8 {
            recorder.record(
                Sample(
                    stepIndex: 0, outcome: .success, latency: .milliseconds(millisecond), bytesOut: 1, bytesIn: 1))
        }
        recorder.record(
            Sample(
                stepIndex: 0, outcome: .failure(Failure(.timeout, "late")), latency: .seconds(1), bytesOut: 1,
                bytesIn: 0))
        recorder.record(
            Sample(
                stepIndex: 0, outcome: .failure(Failure(.jsonrpcError, code: -32603, "boom")),
                latency: .milliseconds(2), bytesOut: 1, bytesIn: 1))
        return RunResult(
            runID: "r",
            scenario: .init(
                name: "t", file: nil, target: "x", transport: "stdio", virtualClients: 1, iterations: 10,
                durationSeconds: nil, rampUpSeconds: 0, thinkSeconds: 0, protocolVersion: "2025-11-25"),
            status: .completed, statusReason: nil, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 4), recorders: [recorder])
    }

    @Test("evaluation measures each metric on the result and keeps the value beside the verdict")
    func evaluation() throws {
        let texts = [
            "failure_rate < 25%", "failure_rate < 20%", "p50(call echo) <= 5ms", "max < 8ms",
            "rate >= 2.5/s", "errors.timeout == 1", "errors.jsonrpc_error.-32603 == 1", "never_sent == 0",
            "sent_and_failed == 2", "max(setup) < 31ms", "requests == 10", "dropped == 0",
        ]
        let outcomes = ThresholdEvaluator.evaluate(try texts.map(parse), on: fixedResult())
        #expect(outcomes.map(\.threshold) == texts)
        #expect(outcomes.map(\.passed) == [true, false, true, false, true, true, true, true, true, true, true, true])
        #expect(outcomes[0].measuredText == "20.00%")
        // HdrHistogram answers with the highest value of the bucket: 4 ms at 3 significant digits.
        #expect((4000...4004).contains(outcomes[2].measured ?? 0) && outcomes[2].measuredText == "4.00ms")
        #expect(outcomes[3].measuredText == "8.00ms")
        #expect(outcomes[4].measuredText == "2.5/s")
    }

    @Test("a latency threshold with nothing to measure fails, saying so")
    func noData() throws {
        let threshold = try ThresholdParser(stepLabels: ["ping"]).parse("p99(ping) < 1s")
        let outcome = try #require(ThresholdEvaluator.evaluate([threshold], on: fixedResult()).first)
        #expect(!outcome.passed && outcome.measured == nil && outcome.measuredText == "no data")
    }
}

@Suite("Thresholds that abort")
struct AbortOnFailParserTests {
    private func parse(_ thresholds: String) throws(ScenarioError) -> [Threshold] {
        try ScenarioText.parse("target: { builtin: demo }\nsteps: [ping]\nthresholds:\n\(thresholds)").thresholds
    }

    @Test("a threshold may be a mapping with abortOnFail and after; plain strings never abort")
    func forms() throws {
        let thresholds = try parse(
            "  - { threshold: \"failure_rate < 5%\", abortOnFail: true, after: 10s }\n  - \"p99 < 1s\"")
        #expect(thresholds.map(\.abortOnFail) == [true, false])
        #expect(thresholds[0].abortAfter == .seconds(10))
        #expect(thresholds[1].abortAfter == .seconds(1))
    }

    @Test(
        "abortOnFail on a metric that cannot be read live, or a malformed mapping, is a located error",
        arguments: [
            (
                "  - { threshold: \"p99(ping) < 1s\", abortOnFail: true }",
                "s.yaml:4: threshold 'p99(ping) < 1s': abortOnFail needs"
            ),
            (
                "  - { threshold: \"mean < 1s\", abortOnFail: true }",
                "s.yaml:4: threshold 'mean < 1s': abortOnFail needs"
            ),
            ("  - { abortOnFail: true }", "s.yaml:4: write the threshold as"),
            ("  - { threshold: \"errors == 0\", abort: true }", "s.yaml:4: unknown key 'abort' in a threshold"),
        ])
    func errors(yaml: String, expected: String) {
        do {
            _ = try parse(yaml)
            Issue.record("parsed")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}

@Suite("Leak thresholds")
struct LeakThresholdTests {
    @Test("a leak threshold needs leaks: in the scenario, and reads the leak counts")
    func leakThresholds() throws {
        let message = ScenarioText.error(
            "target: { builtin: demo }\nsteps: [ping]\nthresholds: [\"leaks.cross_session == 0\"]")
        #expect(message?.hasPrefix("s.yaml:3: threshold 'leaks.cross_session == 0' reads leak counts") == true)

        var leaks = LeakTally()
        leaks.exposed(LeakHit(detector: .email, value: "a@b.io"), fingerprint: 1)
        leaks.exposed(
            LeakHit(detector: .canary, value: "mcpl-canary-0123456789abcdef"), fingerprint: 2, crossing: .session)
        var recorder = Recorder(virtualClient: 1, steps: [])
        recorder.leaks = leaks
        let result = RunResult(
            runID: "r",
            scenario: .init(
                name: "t", file: nil, target: "x", transport: "stdio", virtualClients: 1, iterations: 1,
                durationSeconds: nil, rampUpSeconds: 0, thinkSeconds: 0, protocolVersion: "2025-11-25"),
            status: .completed, statusReason: nil, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 1), recorders: [recorder])
        let parser = ThresholdParser(stepLabels: [])
        let outcomes = ThresholdEvaluator.evaluate(
            try ["leaks.cross_session == 0", "leaks.exposed == 2", "leaks.email.unique == 1"].map(parser.parse),
            on: result)
        #expect(outcomes.map(\.passed) == [false, true, true])
        #expect(outcomes[0].measuredText == "1")
    }
}
