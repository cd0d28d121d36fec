import MCPLoadCore
import Testing

/// A server's own count of its sessions: read from a Prometheus page that the server under
/// test writes, so every odd page is a counted failure, never a crash or a wrong figure.
@Suite("Server session count")
struct ServerSessionCountTests {
    static func read(_ metric: String, _ page: String) -> PrometheusText.Reading {
        PrometheusText.read(metric, in: Array(page.utf8))
    }

    @Test("every series of the metric is summed; comments, other metrics and longer names are not")
    func sumsSeries() {
        let page = """
            # HELP mcp_sessions_active Sessions held.
            # TYPE mcp_sessions_active gauge
            mcp_sessions_active{transport="streamable-http"} 12
            mcp_sessions_active{transport="sse",note="a } in \\"quotes\\""} 3 1700000000000
            mcp_sessions_active_total 1000
            other_metric 7
              mcp_sessions_active\t5

            """
        #expect(Self.read("mcp_sessions_active", page) == .value(20))
        #expect(Self.read("mcp_sessions_active_total", page) == .value(1000))
        #expect(Self.read("mcp_sessions", page) == .missing)
    }

    @Test(
        "a page the server garbled gives a reason, not a figure",
        arguments: [
            ("m{a=\"1\"} NaN", PrometheusText.Reading.unreadable(line: 1)),
            ("m +Inf", .unreadable(line: 1)),
            ("# only\nm twelve", .unreadable(line: 2)),
            ("m{a=\"unclosed} 3", .unreadable(line: 1)),
            ("m", .unreadable(line: 1)),
            ("m ", .unreadable(line: 1)),
            ("m\u{0}1", .missing),
            ("", .missing),
            ("\n\n\n", .missing),
            ("m 1e400", .unreadable(line: 1)),
            ("m -3\nm 4.5", .value(1.5)),
            ("m 1e308\nm 1e308", .unreadable(line: 2)),
        ])
    func garbledPages(page: String, expected: PrometheusText.Reading) {
        #expect(Self.read("m", page) == expected)
    }

    @Test("bytes that are not UTF-8 are no number")
    func invalidBytes() {
        #expect(PrometheusText.read("m", in: Array("m ".utf8) + [0xFF, 0xFE]) == .unreadable(line: 1))
    }

    @Test("metric names as Prometheus writes them; a page as a path is on the MCP endpoint's origin")
    func namesAndPaths() {
        #expect(SessionCountSource.isValidMetricName("mcp_sessions_active"))
        #expect(SessionCountSource.isValidMetricName("ns:sessions"))
        #expect(!SessionCountSource.isValidMetricName("9lives"))
        #expect(!SessionCountSource.isValidMetricName("a-b"))
        #expect(!SessionCountSource.isValidMetricName(""))
        let source = SessionCountSource(url: "/metrics", metric: "m")
        #expect(source.resolved(against: "http://127.0.0.1:8080/mcp?x=1").url == "http://127.0.0.1:8080/metrics")
        #expect(source.resolved(against: "https://[::1]:9/a/b").url == "https://[::1]:9/metrics")
        let absolute = SessionCountSource(url: "http://10.0.0.1/m", metric: "m")
        #expect(absolute.resolved(against: "http://127.0.0.1:1/mcp") == absolute)
        #expect(SessionCountSource.origin(of: "not a url") == nil)
    }

    @Test(
        "sessions held per 1,000 closed: near 1,000 for a server that keeps every one, near 0 for one that frees them")
    func heldSlope() {
        var keeping = ServerSessionCountTracker(metric: "m")
        var freeing = ServerSessionCountTracker(metric: "m")
        for closed in stride(from: UInt64(0), through: 600, by: 20) {
            keeping.record(Double(closed + 4), sessionsClosed: closed)
            freeing.record(Double(closed % 40 == 0 ? 4 : 3), sessionsClosed: closed)
        }
        let kept = keeping.summary
        #expect(abs((kept.heldPerThousandClosed ?? 0) - 1000) < 1)
        #expect(kept.peak == 604 && kept.last == 604 && kept.readings == 31)
        #expect(abs(freeing.summary.heldPerThousandClosed ?? 100) < 5)
    }

    @Test("too few sessions closed give no slope; failed readings are counted with the first reason")
    func failuresAndTooFew() {
        var tracker = ServerSessionCountTracker(metric: "m")
        tracker.recordFailure("the metrics page answered HTTP 500")
        for closed in UInt64(0)..<10 { tracker.record(Double(closed), sessionsClosed: closed) }
        tracker.recordFailure("the metrics page has no m")
        let summary = tracker.summary
        #expect(summary.heldPerThousandClosed == nil)
        #expect(summary.failedReadings == 2 && summary.readings == 10)
        #expect(summary.firstFailure == "the metrics page answered HTTP 500")
    }
}
