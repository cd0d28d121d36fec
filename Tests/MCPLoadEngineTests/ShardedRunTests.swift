import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// A load split over shards and merged: the shards' sums, exactly; missing shards degrade
    /// the merge; results that are not shards of one run are refused.
    @Suite("Sharded runs and their merge")
    struct ShardedRunTests {
        static let yaml = """
            name: sharded
            target: { builtin: demo }
            load: { vus: 5, iterations: 4 }
            steps:
              - call_tool: { name: echo, arguments: { text: "client {{vu}}" }, expect: { contains: "client {{vu}}" } }
              - list_tools
            thresholds: ["failure_rate < 1%"]
            """

        /// Runs shards `indexes` of `count` at once, in-process, each with its own servers.
        static func shards(_ indexes: [Int], of count: Int, yaml: String = yaml) async throws -> [RunResult] {
            let whole = try TestSupport.scenario(yaml)
            let parts = try indexes.map { try whole.sharded(#require(Shard(index: $0, count: count))) }
            return await withTaskGroup(of: RunResult.self) { group in
                for part in parts { group.addTask { await TestSupport.run(part) } }
                var results: [RunResult] = []
                for await result in group { results.append(result) }
                return results.sorted { ($0.shard?.index ?? 0) < ($1.shard?.index ?? 0) }
            }
        }

        static func merge(_ results: [RunResult], allowPartial: Bool = false) throws(ShardMerge.Refusal) -> RunResult {
            try ShardMerge.merge(
                results.map { ShardMerge.Input(result: $0, source: "shard \($0.shard?.index ?? 0)") },
                allowPartial: allowPartial)
        }

        @Test("three shards merge into the sums of their counts, and match one run of the whole load")
        func exactSums() async throws {
            let shards = try await Self.shards([1, 2, 3], of: 3)
            #expect(shards.map { $0.shard?.virtualClients } == [2, 2, 1])
            let merged = try Self.merge(shards)
            #expect(merged.status == .completed && merged.merged?.missing == [])
            #expect(merged.totals.attempts == shards.reduce(0) { $0 + $1.totals.attempts })
            #expect(merged.totals.successes == shards.reduce(0) { $0 + $1.totals.successes })
            #expect(merged.totals.failures.total == 0)
            #expect(merged.session.opened == shards.reduce(0) { $0 + $1.session.opened })
            for label in ["call echo", "list_tools"] {
                let step = try #require(merged.steps.first { $0.label == label })
                let parts = shards.compactMap { $0.steps.first { $0.label == label } }
                #expect(step.latency.count == parts.reduce(0) { $0 + $1.latency.count })
                // Added bucket by bucket: the merge's histogram is that of every sample.
                var all = LatencyHistogram()
                for part in parts { all.merge(part.latency) }
                #expect(step.latency == all)
            }
            #expect(merged.scenario.virtualClients == 5)
            #expect(merged.thresholds.map(\.passed) == [true, true])
            let single = try await TestSupport.run(Self.yaml)
            #expect(single.totals.attempts == merged.totals.attempts)
            #expect(single.iterations.completed == merged.iterations.completed)
            #expect(single.steps.map(\.label) == merged.steps.map(\.label))
        }

        @Test("a missing shard degrades the merge and fails it, unless a partial merge is allowed")
        func missingShard() async throws {
            let shards = try await Self.shards([1, 3], of: 3)
            let merged = try Self.merge(shards)
            #expect(merged.status == .degraded)
            #expect(merged.statusReason?.contains("shard 2 of 3 missing") == true, "\(merged.statusReason ?? "")")
            #expect(merged.merged?.achievedVirtualClients == 3 && merged.merged?.intendedVirtualClients == 5)
            #expect(merged.thresholds.last?.threshold == MergeRecord.completenessThreshold)
            #expect(!merged.thresholdsPassed)
            let allowed = try Self.merge(shards, allowPartial: true)
            #expect(allowed.status == .degraded && allowed.thresholdsPassed)
        }

        @Test("results that are not shards of one run are refused, saying why")
        func refusals() async throws {
            let shards = try await Self.shards([1, 2], of: 2)
            let other = try await Self.shards(
                [2], of: 2, yaml: Self.yaml.replacingOccurrences(of: "sharded", with: "other"))
            var newer = shards[1]
            newer.mcploadVersion = "99.0.0"
            var unsharded = shards[1]
            unsharded.shard = nil
            let cases: [([RunResult], String)] = [
                ([shards[0], shards[0]], "shard 1/2 twice"),
                ([shards[0]] + other, "is of scenario 'other'"),
                ([shards[0], newer], "written by mcpload 99.0.0"),
                ([shards[0], unsharded], "is not a shard's result"),
                ([], "no results to merge"),
            ]
            for (inputs, reason) in cases {
                do {
                    _ = try Self.merge(inputs)
                    Issue.record("merged, though: \(reason)")
                } catch {
                    #expect(error.description.contains(reason), "\(error.description)")
                }
            }
        }

        @Test("the open model's shards dispatch, together, exactly the schedule's arrivals")
        func openModelShards() async throws {
            let yaml = """
                name: open-sharded
                target: { builtin: demo }
                load: { model: open, rate: 40/s, duration: 1s, maxVUs: 4 }
                steps: [ping]
                """
            let shards = try await Self.shards([1, 2], of: 2, yaml: yaml)
            let merged = try Self.merge(shards)
            #expect(shards.map { $0.pacing?.dispatched } == [20, 20])
            #expect(merged.pacing?.dispatched == 40)
            #expect(merged.iterations.completed + merged.iterations.dropped == 40)
        }
    }
}
