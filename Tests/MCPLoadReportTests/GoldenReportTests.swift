import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadReport

/// Renderers are pure functions of a result: golden files pin their output.
///
/// After an intended change, regenerate them with
/// `MCPLOAD_UPDATE_GOLDEN=1 swift test --filter GoldenReportTests` and review the diff.
@Suite("Golden reports")
struct GoldenReportTests {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Two runs of one scenario (a matrix of two rows), every figure fixed.
    static func fixedResults() -> [RunResult] {
        func result(variant: String, transport: String, slow: Bool) -> RunResult {
            var recorder = Recorder(
                virtualClient: 1,
                steps: [
                    Step(action: .listTools, label: "list_tools"),
                    Step(action: .callTool(name: "echo", arguments: .literal([:])), label: "call echo"),
                ])
            recorder.recordSessionOpened(setup: .milliseconds(20), protocolVersion: "2025-11-25")
            for index in 0..<10 {
                recorder.record(
                    Sample(
                        stepIndex: 0, outcome: .success, latency: .milliseconds(slow ? 30 : 2 + index), bytesOut: 50,
                        bytesIn: 500))
                let outcome: Outcome =
                    index == 0 && slow
                    ? .failure(Failure(.checkFailed, "result does not contain \"c1 <&>\"")) : .success
                recorder.record(
                    Sample(stepIndex: 1, outcome: outcome, latency: .milliseconds(5), bytesOut: 60, bytesIn: 70))
            }
            var run = RunResult(
                runID: "20260101-000000-abcd",
                scenario: .init(
                    name: "golden", file: "golden.yaml", target: "mcpload demo-server --stdio", transport: transport,
                    virtualClients: 1, iterations: 10, durationSeconds: nil, rampUpSeconds: 0, thinkSeconds: 0,
                    protocolVersion: "2025-11-25", topology: transport == "stdio" ? "process per client" : nil,
                    variant: variant),
                status: .completed, statusReason: nil, startedAt: Date(timeIntervalSince1970: 1_767_225_600),
                finishedAt: Date(timeIntervalSince1970: 1_767_225_602), recorders: [recorder])
            let parser = ThresholdParser(stepLabels: ["list_tools", "call echo"])
            let thresholds = ["failure_rate < 1%", "p99(list_tools) < 20ms"].compactMap { try? parser.parse($0) }
            run.thresholds = ThresholdEvaluator.evaluate(thresholds, on: run)
            return run
        }
        return [
            result(variant: "stdio", transport: "stdio", slow: false),
            result(variant: "http", transport: "http", slow: true),
        ]
    }

    /// The matrix above, its second run with everything a report can show: a timeline with a
    /// failing second, leaks, a saturated harness, server memory.
    static func richResults() -> [RunResult] {
        var results = fixedResults()
        var run = results[1]
        run.durationSeconds = 5
        run.timeline = Timeline(
            seconds: (0..<5).map { second in
                Timeline.Second(
                    at: second, requests: UInt64(100 + 20 * second),
                    failures: second == 3 ? [.timeout: 6, .transport: 2] : [:],
                    latencyBuckets: second == 4 ? [] : [[UInt64(50 + second), 90], [UInt64(60 + second), 10]],
                    openSessions: 2 + second % 2)
            })
        var leaks = LeakStatistics()
        var email = LeakStatistics.DetectorCounts()
        email.exposed = 12
        email.uniqueValues = 4
        email.retransmitted = 8
        email.crossSession = 1
        email.examples = ["a…@example.com"]
        leaks.detectors[.email] = email
        run.leaks = leaks
        var harness = HarnessHealth()
        harness.cpuSeconds = 3.8
        harness.wallSeconds = 2
        harness.cores = 2
        harness.saturation = "CPU 95% of 2 cores"
        run.harness = harness
        var servers = ServerResources(sampleIntervalSeconds: 1)
        servers.processes = 1
        servers.peakProcessRSSBytes = 12 << 20
        servers.peakTotalRSSBytes = 12 << 20
        servers.timeline = (0..<3).map {
            ServerResources.Point(
                atSeconds: Double($0), processes: 1, totalRSSBytes: UInt64(10 + $0) << 20, cpuCores: 0.5)
        }
        run.serverResources = servers
        results[1] = run
        return results
    }

    private func check(_ rendered: String, against name: String) throws {
        let file = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MCPLOAD_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try rendered.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(rendered == golden, "\(name) differs from its golden file; see the suite's doc comment")
    }

    @Test("the terminal summary of one run")
    func text() throws {
        try check(TerminalSummary.render(Self.fixedResults()[1]) + "\n", against: "summary.txt")
    }

    @Test("the Markdown summary of a matrix")
    func markdown() throws {
        try check(MarkdownSummary.render(Self.fixedResults()), against: "summary.md")
    }

    @Test("JUnit XML of a matrix: a failed threshold and a failed check are failures with their values, text escaped")
    func junit() throws {
        let xml = JUnitReport.render(Self.fixedResults())
        try check(xml, against: "junit.xml")
        #expect(xml.contains(#"<testsuites name="mcpload" tests="8" failures="3""#))
        #expect(xml.contains("result does not contain &quot;c1 &lt;&amp;&gt;&quot;"))
    }

    @Test("the timeline as sparklines: one column per second, scaled to the largest, zero errors as dots")
    func sparkline() {
        let timeline = Timeline(
            seconds: (0..<4).map { second in
                Timeline.Second(
                    at: second, requests: UInt64(100 * (second + 1)), failures: second == 2 ? [.timeout: 4] : [:],
                    latencyBuckets: [[UInt64(40 + second), 10]], openSessions: 2)
            })
        let lines = TimelineSparkline.render(timeline)
        #expect(lines[0] == "timeline (4 s, 1 column = 1 s):")
        // 100, 200, 300, 400 of 400 on eight levels: 1.75, 3.5, 5.25, 7 → ▃ ▅ ▆ █.
        #expect(lines[1] == "  req/s   ▃▅▆█  max 400.0/s")
        #expect(lines[2] == "  errors  ··█·  4 in all")
        #expect(lines[3].hasPrefix("  p99     ▅▆▇█  max ≤"))
        #expect(TimelineSparkline.render(Timeline(seconds: [timeline.seconds[0]])).isEmpty)
    }

    @Test("the HTML report of a matrix: verdict first, charts as inline SVG, nothing fetched, text escaped")
    func html() throws {
        let page = HTMLReport.render(Self.richResults())
        try check(page, against: "report.html")
        let verdict = try #require(page.range(of: #"<p class="verdict fail">"#))
        let firstChart = try #require(page.range(of: "<svg"))
        #expect(verdict.lowerBound < firstChart.lowerBound, "the verdict comes before any chart")
        #expect(page.contains("Failed: 2 of 4 thresholds broke"))
        #expect(page.contains("Harness saturated: figures unreliable (CPU 95% of 2 cores)"))
        // Self-contained: no script, no stylesheet or image fetched from anywhere.
        for outside in ["<script", "src=", "<link", "http://", "https://", "@import"] {
            #expect(!page.contains(outside), "the report must not load anything: found \(outside)")
        }
        // A server's message is shown as text, never as markup.
        #expect(page.contains("result does not contain &quot;c1 &lt;&amp;&gt;&quot;"))
        #expect(!page.contains("c1 <&>"))
        // Spectrum of the comparison and of each run; throughput, latency and sessions over time; server memory.
        #expect(page.components(separatedBy: "<svg").count - 1 == 7)
        #expect(page.contains(#"aria-label="Requests per second: answered, and failed by class""#))
        #expect(page.contains(">timeout 6</title>"))
    }

    @Test("without thresholds, the verdict still tells a clean run from one whose requests failed")
    func verdictWithoutThresholds() {
        var results = Self.fixedResults()
        for index in results.indices { results[index].thresholds = [] }
        #expect(HTMLReport.render([results[0]]).contains("Completed without a failed request; no thresholds were set"))
        #expect(
            HTMLReport.render(results).contains(
                #"<p class="verdict warn">Completed, but requests failed (http 4.8%); no thresholds were set to judge it"#
            ))
    }

    @Test("SVG chart ticks are round and reach the data; a gap in a series breaks its line")
    func chartArithmetic() {
        #expect(SVGChart.roundTicks(upTo: 37) == [0, 10, 20, 30, 40])
        #expect(SVGChart.roundTicks(upTo: 1_800) == [0, 500, 1_000, 1_500, 2_000])
        #expect(SVGChart.roundTicks(upTo: 0) == [0, 1])
        let runs = SVGChart.unbrokenRuns([(0, 1), (1, nil), (2, 3), (3, 4), (4, nil)])
        #expect(runs.map { $0.map(\.x) } == [[0], [2, 3]])
        #expect(ReportCharts.secondTicks(upTo: 2).map(\.text) == ["0s", "1s", "2s"])
        #expect((0...4).map(ReportCharts.ninesLabel) == ["0%", "90%", "99%", "99.9%", "99.99%"])
    }

    @Test("the comparison of two runs side by side")
    func comparison() throws {
        try check(VariantComparison.render(Self.fixedResults()) + "\n", against: "comparison.txt")
    }
}
