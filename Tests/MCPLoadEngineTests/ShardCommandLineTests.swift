import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// Shards as a user runs them: `scripts/run-shards`, `mcpload run --shard --start-at`,
    /// `mcpload merge`.
    @Suite("Sharded runs from the command line", .timeLimit(.minutes(2)))
    struct ShardCommandLineTests {
        @Test("scripts/run-shards 3 scenarios/quickstart.yaml: three shards start together, one merged summary")
        func runShards() async throws {
            let folder = try CommandLineSupport.temporaryDirectory()
            let script = TestSupport.repositoryRoot.appendingPathComponent("scripts/run-shards").path
            let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/quickstart.yaml").path
            let finished = try await CommandLineSupport.command(
                script, ["3", scenario, "--out", folder, "--lead", "3", "--", "--duration", "2s"],
                environment: ["MCPLOAD_BIN": TestSupport.mcploadExecutable])
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            #expect(finished.output.contains("merged: 3 of 3 shards; start skew"), "\(finished.output)")
            var shards: [RunResult] = []
            for index in 1...3 {
                let data = try #require(FileManager.default.contents(atPath: "\(folder)/shard-\(index)/result.json"))
                shards.append(try RunResult.decode(from: data))
            }
            let merged = try RunResult.decode(
                from: try #require(FileManager.default.contents(atPath: "\(folder)/merged/result.json")))
            #expect(merged.totals.attempts == shards.reduce(0) { $0 + $1.totals.attempts })
            #expect(merged.session.opened == 20)
            #expect(shards.map { $0.shard?.virtualClients } == [7, 7, 6])
            // One start instant, every shard ready well before it: none started late.
            #expect(Set(shards.compactMap { $0.shard?.scheduledStart }).count == 1)
            #expect(shards.allSatisfy { $0.shard?.startedLate == false })
            #expect(merged.merged?.lateShards == [] && (merged.merged?.startSkewSeconds ?? 1) < 0.5)
            for report in ["summary.md", "junit.xml", "report.html"] {
                #expect(FileManager.default.fileExists(atPath: "\(folder)/merged/\(report)"), "\(report)")
            }
            // Every report says it is a merge of shards, and how far apart they started.
            let markdown = try String(contentsOfFile: "\(folder)/merged/summary.md", encoding: .utf8)
            let html = try String(contentsOfFile: "\(folder)/merged/report.html", encoding: .utf8)
            #expect(markdown.contains("merged: 3 of 3 shards; start skew"), "\(markdown)")
            #expect(html.contains("<h3>Shards</h3>") && html.contains("merged: 3 of 3 shards"))
        }

        @Test("merge takes folders; a missing shard exits 1 (0 with --allow-partial); not one run's shards exits 2")
        func mergeCommand() async throws {
            let folder = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                name: cli-shards
                target: { builtin: demo }
                load: { vus: 3, iterations: 2 }
                steps: [ping]
                """, to: folder + "/s.yaml")
            for index in [1, 3] {
                let run = try await CommandLineSupport.mcpload(
                    ["run", "s.yaml", "--shard", "\(index)/3", "--out", "shard-\(index)", "-q"], in: folder)
                #expect(run.status == 0, "\(run.output)\(run.errors)")
                #expect(run.output.contains("shard \(index)/3: clients \(index)-\(index) of 3"), "\(run.output)")
            }
            let partial = try await CommandLineSupport.mcpload(["merge", ".", "--out", "merged"], in: folder)
            #expect(partial.status == 1, "\(partial.output)\(partial.errors)")
            #expect(partial.output.contains("status: degraded (shard 2 of 3 missing)"), "\(partial.output)")
            #expect(partial.output.contains("FAIL  shards.missing == 0"), "\(partial.output)")
            let allowed = try await CommandLineSupport.mcpload(
                ["merge", "shard-1", "shard-3/result.json", "--out", "merged", "--allow-partial"], in: folder)
            #expect(allowed.status == 0, "\(allowed.output)\(allowed.errors)")
            let twice = try await CommandLineSupport.mcpload(
                ["merge", "shard-1", "shard-1/result.json", "--out", "again"], in: folder)
            #expect(twice.status == 2 && twice.errors.contains("shard 1/3 twice"), "\(twice.errors)")
            let badShard = try await CommandLineSupport.mcpload(["run", "s.yaml", "--shard", "4/3"], in: folder)
            #expect(badShard.status == 2 && badShard.errors.contains("--shard 4/3"), "\(badShard.errors)")
            let tooMany = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "x"], in: folder,
                environment: ["JOB_COMPLETION_INDEX": "3", "MCPLOAD_SHARDS": "4"])
            #expect(tooMany.status == 2 && tooMany.errors.contains("has no virtual clients"), "\(tooMany.errors)")
            let badStart = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--start-at", "tomorrow"], in: folder)
            #expect(badStart.status == 2 && badStart.errors.contains("--start-at tomorrow"), "\(badStart.errors)")
        }
    }
}
