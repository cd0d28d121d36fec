import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// scripts/reproduce-load-balancer, as a user runs it: replicas behind a real HAProxy
    /// (scripts/test installs it), the same work four ways, one table.
    @Suite("Replicas behind a load balancer", .timeLimit(.minutes(3)))
    struct LoadBalancerTests {
        struct Rows {
            var byLabel: [String: RunResult]
            var folder: String
            var output: String

            subscript(_ label: String) -> RunResult? { byLabel[label] }
        }

        /// Runs the script into a fresh folder and reads every row's result.json.
        static func reproduce(_ arguments: [String] = []) async throws -> Rows {
            let folder = try CommandLineSupport.temporaryDirectory()
            let script = TestSupport.repositoryRoot.appendingPathComponent("scripts/reproduce-load-balancer").path
            let finished = try await CommandLineSupport.command(
                script, arguments + ["--out", folder + "/lb"],
                environment: ["MCPLOAD_BIN": TestSupport.mcploadExecutable])
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            #expect(
                ["5 ways", "4 ways", "3 ways"].contains { finished.output.contains($0) }, "\(finished.output)")
            return Rows(byLabel: try rows(in: folder + "/lb/runs"), folder: folder + "/lb", output: finished.output)
        }

        /// The churn rows the script ran after the table (demo replicas only), by label.
        static func churnRows(in folder: String) throws -> [String: RunResult] {
            try rows(in: folder + "/churn")
        }

        /// Every matrix row's result.json under `runs`, by the row's label.
        static func rows(in runs: String) throws -> [String: RunResult] {
            var rows: [String: RunResult] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? [] {
                guard let data = FileManager.default.contents(atPath: "\(runs)/\(name)/result.json") else { continue }
                let result = try RunResult.decode(from: data)
                rows[result.scenario.variant ?? name] = result
            }
            return rows
        }

        /// Every port the balancer forwarded to: nothing may listen there once the script is done.
        static func replicaPorts(in folder: String) -> [Int] {
            let config = (try? String(contentsOfFile: folder + "/haproxy.cfg", encoding: .utf8)) ?? ""
            return config.split(separator: "\n").compactMap { line in
                guard line.contains("server "), let port = line.split(separator: ":").last else { return nil }
                return Int(port)
            }
        }

        static func sessionsFailed(_ result: RunResult) -> UInt64 {
            result.session.setupFailures.total + result.session.expired
        }

        @Test(
            "the demo: round robin breaks a clear majority of sessions (legacy SSE too); sticky, stateless and 2026-07-28 none; churn separates leaks"
        )
        func demo() async throws {
            let rows = try await Self.reproduce()
            let roundRobin = try #require(rows["stateful, round robin"])
            let attempted = roundRobin.session.opened + roundRobin.session.setupFailures.total
            #expect(Self.sessionsFailed(roundRobin) * 2 > attempted, "\(roundRobin.session)")
            #expect(roundRobin.totals.failures.byClass[.httpStatus] ?? 0 > 0)
            // The breaks are seen where they happen: on replicas that never saw the session.
            let breaks = roundRobin.replicas?.byReplica.values.filter { $0.sessionBreaks > 0 }.count ?? 0
            #expect(breaks >= 2, "\(String(describing: roundRobin.replicas))")
            for label in ["stateful, sticky", "stateless, round robin", "2026-07-28, round robin"] {
                let row = try #require(rows[label], "\(label)")
                #expect(row.totals.failures.total == 0, "\(label): \(row.totals.failures)")
                #expect(Self.sessionsFailed(row) == 0, "\(label)")
                // Every replica served some of the load, none of it broken.
                let replicas = row.replicas?.byReplica ?? [:]
                #expect(replicas.count == 3 && replicas.values.allSatisfy { $0.requests > 0 && $0.sessionBreaks == 0 })
            }
            // The legacy transport breaks the same way, and the breaks are counted per replica.
            let legacy = try #require(rows["legacy SSE, round robin"])
            let legacyAttempted = legacy.session.opened + legacy.session.setupFailures.total
            #expect(Self.sessionsFailed(legacy) * 2 > legacyAttempted, "\(legacy.session)")
            #expect(legacy.replicas?.byReplica.values.filter { $0.sessionBreaks > 0 }.count ?? 0 >= 2)
            let ports = Self.replicaPorts(in: rows.folder)
            #expect(ports.count == 9)
            #expect(ports.filter(TestSupport.listens).isEmpty, "a replica outlived the script")
            try Self.expectChurn(in: rows.folder, output: rows.output)
        }

        /// The churn after the table: the memory slope and the server's own session count
        /// separate a server that frees its sessions from one that keeps them, by a wide margin.
        static func expectChurn(in folder: String, output: String) throws {
            let churn = try churnRows(in: folder)
            let freed = try #require(churn["frees its sessions"])
            let kept = try #require(churn["keeps closed sessions"])
            let undeleted = try #require(churn["never sent DELETE"])
            let keptMemory = try #require(kept.serverResources?.rssBytesPerThousandSessions)
            let freedMemory = try #require(freed.serverResources?.rssBytesPerThousandSessions)
            // The demo keeps 64 KiB per leaked session: 62.5 MiB per 1,000.
            #expect(keptMemory > 40 * 1_048_576, "kept: \(keptMemory / 1_048_576) MiB per 1,000")
            #expect(freedMemory < 16 * 1_048_576, "freed: \(freedMemory / 1_048_576) MiB per 1,000")
            #expect(kept.serverResources?.sessionsClosed ?? 0 >= 500)
            // The server's own count: about every session kept, or none.
            #expect(kept.serverSessions?.heldPerThousandClosed ?? 0 > 900)
            #expect(undeleted.serverSessions?.heldPerThousandClosed ?? 0 > 900)
            #expect(abs(freed.serverSessions?.heldPerThousandClosed ?? 1000) < 50)
            #expect(undeleted.serverSessions?.last == 600 && freed.serverSessions?.last == 0)
            #expect(freed.thresholds.map(\.passed) == [true, true])
            #expect(kept.thresholds.map(\.passed) == [false, false])
            #expect(undeleted.thresholds.map(\.passed) == [true, false])
            #expect(output.contains("session-churn, 3 ways"), "\(output)")
        }

        @Test(
            "the official Python SDK as the replicas: round robin breaks sessions, sticky and stateless do not",
            .enabled(if: TestSupport.pythonVenv != nil))
        func pythonSDK() async throws {
            let venv = try #require(TestSupport.pythonVenv)
            let server = "\(venv)/bin/python \(TestSupport.fixtures)/python_sdk_server.py --http {port}"
            let rows = try await Self.reproduce([
                "--server", server, "--stateless-server", server + " --stateless",
            ])
            let roundRobin = try #require(rows["stateful, round robin"])
            let attempted = roundRobin.session.opened + roundRobin.session.setupFailures.total
            #expect(Self.sessionsFailed(roundRobin) * 2 > attempted, "\(roundRobin.session)")
            for label in ["stateful, sticky", "stateless, round robin"] {
                let row = try #require(rows[label], "\(label)")
                #expect(row.totals.failures.total == 0, "\(label): \(row.totals.failures)")
            }
            // The SDK names no replica: every answer counts as unnamed.
            #expect(roundRobin.replicas?.byReplica.keys.sorted() == [ReplicaTally.unnamed])
            #expect(Self.replicaPorts(in: rows.folder).filter(TestSupport.listens).isEmpty)
        }
    }
}
