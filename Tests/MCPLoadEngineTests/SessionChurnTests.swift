import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// Sessions opened and closed over and over, and the server's memory watched per session:
    /// what finds a server that never frees its sessions before it has run for days.
    @Suite("Session churn and server memory")
    struct SessionChurnTests {
        static func churn(_ arguments: String) async throws -> RunResult {
            try await TestSupport.run(
                """
                target: { transport: http, builtin: demo, args: [\(arguments)] }
                load: { vus: 4, iterations: 150 }
                session: { strategy: per-request }
                steps: [ping]
                thresholds: ["server.rss_per_1k_sessions < 16MiB"]
                """)
        }

        @Test("sessions kept because a request was refused grow the server's memory too")
        func refusedKept() async throws {
            let refusing = try await Self.churn("--leak-refused, --status-rate, \"503:0.5\"")
            let leaked = try #require(refusing.serverResources?.rssBytesPerThousandSessions)
            #expect(leaked > 10 * 1_048_576, "\(leaked / 1_048_576) MiB per 1,000")
        }

        @Test("--server-pid samples a server started elsewhere: its slope shows in the summary and result.json")
        func serverStartedElsewhere() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let port = try TestSupport.freePort()
            let server = try CommandLineSupport.start(
                ["demo-server", "--http", "\(port)", "--leak-sessions"], in: directory)
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            try await CommandLineSupport.waitUntil { TestSupport.listens(port) }
            try CommandLineSupport.write(
                """
                target: { transport: http, url: "http://127.0.0.1:\(port)/mcp" }
                load: { vus: 4, iterations: 150 }
                session: { strategy: per-request }
                steps: [ping]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--server-pid", "\(server.processIdentifier)", "--out", "out", "-q"], in: directory)
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            #expect(finished.output.contains("server memory per 1,000 sessions closed: +"), "\(finished.output)")
            let result = try RunResult.decode(
                from: try #require(FileManager.default.contents(atPath: directory + "/out/result.json")))
            #expect(result.serverResources?.rssBytesPerThousandSessions ?? 0 > 40 * 1_048_576)
            let missing = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--server-pid", "999999999", "--out", "none"], in: directory)
            #expect(missing.status == 2 && missing.errors.contains("--server-pid 999999999: no such process"))
        }

        @Test("a metrics page that is missing, unreachable or without the metric is a counted reason, never the run")
        func sessionCountFailures() async throws {
            let port = try TestSupport.freePort()
            let pages = [
                ("/nowhere", "mcp_sessions_active", "the metrics page answered HTTP 404"),
                ("/metrics", "no_such_metric", "the metrics page has no no_such_metric"),
                ("http://127.0.0.1:\(port)/metrics", "m", "the metrics page could not be read"),
            ]
            for (url, metric, reason) in pages {
                let result = try await TestSupport.run(
                    """
                    target: { transport: http, builtin: demo, sessionCount: { url: "\(url)", metric: \(metric) } }
                    load: { vus: 1, iterations: 3 }
                    steps: [ping]
                    thresholds: ["server.sessions_held_per_1k < 100"]
                    """)
                #expect(result.status == .completed && result.totals.failures.total == 0)
                let count = try #require(result.serverSessions)
                #expect(count.readings == 0 && count.failedReadings >= 1 && count.last == nil)
                #expect(count.firstFailure?.hasPrefix(reason) == true, "\(count.firstFailure ?? "none")")
                #expect(result.thresholds.first?.measuredText == "no data")
            }
        }

        @Test("too few sessions closed make no slope: a threshold on it has no data and fails")
        func noChurnNoData() async throws {
            let result = try await TestSupport.run(
                """
                target: { transport: http, builtin: demo }
                load: { vus: 2, iterations: 5 }
                steps: [ping]
                thresholds: ["server.rss_per_1k_sessions < 16MiB"]
                """)
            #expect(result.serverResources?.rssBytesPerThousandSessions == nil)
            #expect(result.thresholds.first?.measuredText == "no data")
        }
    }
}
