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
            #expect(finished.output.contains("4 ways") || finished.output.contains("3 ways"), "\(finished.output)")
            var rows: [String: RunResult] = [:]
            let runs = folder + "/lb/runs"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? [] {
                guard let data = FileManager.default.contents(atPath: "\(runs)/\(name)/result.json") else { continue }
                let result = try RunResult.decode(from: data)
                rows[result.scenario.variant ?? name] = result
            }
            return Rows(byLabel: rows, folder: folder + "/lb")
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

        @Test("the demo: round robin breaks a clear majority of sessions; sticky, stateless and 2026-07-28 break none")
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
            let ports = Self.replicaPorts(in: rows.folder)
            #expect(ports.count == 9)
            #expect(ports.filter(TestSupport.listens).isEmpty, "a replica outlived the script")
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
