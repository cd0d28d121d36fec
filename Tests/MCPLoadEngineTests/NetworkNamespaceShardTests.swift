import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// Hosts made of network namespaces (scripts/netns-hosts): needs root and iproute2.
enum NetworkHosts {
    static let ip = "/usr/sbin/ip"

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: ip)
    }

    /// scripts/test sets MCPLOAD_TEST_NETNS: there the test runs, and fails if it cannot.
    static var required: Bool {
        ProcessInfo.processInfo.environment["MCPLOAD_TEST_NETNS"] != nil
    }

    static var script: String {
        TestSupport.repositoryRoot.appendingPathComponent("scripts/netns-hosts").path
    }

    /// A name of its own for this test's namespaces, bridge and veths.
    static func uniqueName() -> String {
        "ml" + String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16).prefix(6)
    }

    /// Makes `count` hosts; returns the subnet's prefix (`10.213.7`).
    static func up(_ name: String, _ count: Int) async throws -> String {
        let made = try await CommandLineSupport.command(script, ["up", name, String(count)])
        #expect(made.status == 0, "\(made.errors)")
        return made.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func down(_ name: String) async {
        _ = try? await CommandLineSupport.command(script, ["down", name])
    }

    /// `mcpload ARGUMENTS` on host `index`, to its end.
    static func mcpload(
        on name: String, host index: Int, _ arguments: [String], in directory: String
    ) async throws -> CommandLineSupport.Finished {
        try await CommandLineSupport.command(
            ip, ["netns", "exec", "\(name)-h\(index)", TestSupport.mcploadExecutable] + arguments, in: directory)
    }
}

extension ProcessTests {
    /// Three shards as three hosts, each in its own network namespace with its own address,
    /// against one demo server on a fourth: what a sharded run across machines is, on one.
    @Suite(
        "Shards as hosts in network namespaces", .enabled(if: NetworkHosts.available || NetworkHosts.required),
        .serialized,
        .timeLimit(.minutes(3)))
    struct NetworkNamespaceShardTests {
        static func scenario(_ url: String) -> String {
            """
            name: netns-shards
            target: { transport: http, url: "\(url)" }
            load: { vus: 6, iterations: 10 }
            leaks: { detectors: [email], canaries: per-client }
            steps:
              - call_tool: { name: echo, arguments: { text: "from {{vu}}: {{canary}}" }, label: call echo }
            thresholds: ["failure_rate < 1%"]
            """
        }

        /// An RFC 3339 instant `seconds` from now, as every shard is given it.
        static func startAt(in seconds: Double) -> String {
            Date().addingTimeInterval(seconds).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }

        static func load(_ path: String) throws -> RunResult {
            try RunResult.decode(from: try #require(FileManager.default.contents(atPath: path)))
        }

        @Test("merged counts are the shards' sums and one run's; a killed shard degrades; a canary crosses shards")
        func shardsAcrossHosts() async throws {
            try #require(NetworkHosts.available, "network namespaces need root and \(NetworkHosts.ip)")
            let name = NetworkHosts.uniqueName()
            let prefix = try await NetworkHosts.up(name, 4)
            // Down whatever happened, before the test ends: no namespace outlives it.
            do {
                try await Self.shards(onHosts: name, prefix: prefix)
            } catch {
                await NetworkHosts.down(name)
                throw error
            }
            await NetworkHosts.down(name)
        }

        static func shards(onHosts name: String, prefix: String) async throws {
            let folder = try CommandLineSupport.temporaryDirectory()
            // The server on host 4, shared by every shard: --bleed hands each echo the previous
            // echo's text, whichever client (and so whichever shard) sent it.
            let server = try CommandLineSupport.start(
                [
                    "netns", "exec", "\(name)-h4", TestSupport.mcploadExecutable, "demo-server", "--http", "8080",
                    "--host",
                    "\(prefix).4", "--bleed",
                ], in: folder, executable: NetworkHosts.ip)
            defer {
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
            }
            try CommandLineSupport.write(Self.scenario("http://\(prefix).4:8080/mcp"), to: folder + "/s.yaml")
            // Listening, as host 1 sees it (bounded: 300 probes, 20 ms apart).
            var reachable = false
            for _ in 0..<300 where !reachable {
                let probe = try await CommandLineSupport.command(
                    NetworkHosts.ip, ["netns", "exec", "\(name)-h1", "bash", "-c", "exec 3<>/dev/tcp/\(prefix).4/8080"])
                reachable = probe.status == 0
                if !reachable { try await Task.sleep(for: .milliseconds(20)) }
            }
            try #require(reachable, "the demo server on host 4 never answered")

            // Three shards on hosts 1-3, one start instant.
            let start = Self.startAt(in: 3)
            let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
                for index in 1...3 {
                    group.addTask {
                        try await NetworkHosts.mcpload(
                            on: name, host: index,
                            [
                                "run", "s.yaml", "--shard", "\(index)/3", "--start-at", start, "--out",
                                "shard-\(index)", "-q",
                            ],
                            in: folder
                        ).status
                    }
                }
                var statuses: [Int32] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses == [0, 0, 0])
            let shards = try (1...3).map { try Self.load("\(folder)/shard-\($0)/result.json") }
            let merged = try ShardMerge.merge(
                shards.map { ShardMerge.Input(result: $0, source: "\($0.shard?.index ?? 0)") }, allowPartial: false)
            #expect(merged.status == .completed && merged.thresholdsPassed)
            #expect(merged.totals.attempts == shards.reduce(0) { $0 + $1.totals.attempts })
            #expect(merged.totals.attempts == 60)
            #expect(merged.session.opened == shards.reduce(0) { $0 + $1.session.opened })
            let crossSession = { (result: RunResult) in result.leaks?.detectors[.canary]?.crossSession ?? 0 }
            #expect(crossSession(merged) == shards.reduce(0) { $0 + crossSession($1) })
            #expect(crossSession(merged) > 0)
            #expect((merged.merged?.startSkewSeconds ?? 1) < 0.5)

            // One process with the whole load, from host 1: the same counts.
            let single = try await NetworkHosts.mcpload(
                on: name, host: 1, ["run", "s.yaml", "--out", "single", "-q"], in: folder)
            #expect(single.status == 0, "\(single.errors)")
            let whole = try Self.load("\(folder)/single/result.json")
            #expect(whole.totals.attempts == merged.totals.attempts)
            #expect(whole.iterations.completed == merged.iterations.completed)

            // A canary planted on shard 1 and answered on shard 2: shard 2 runs after shard 1,
            // so its first echo is handed shard 1's last canary.
            for (index, out) in [(1, "pair-1"), (2, "pair-2")] {
                let run = try await NetworkHosts.mcpload(
                    on: name, host: index,
                    ["run", "s.yaml", "--shard", "\(index)/2", "--iterations", "1", "--out", out, "-q"], in: folder)
                #expect(run.status == 0, "\(run.errors)")
            }
            let second = try Self.load("\(folder)/pair-2/result.json")
            #expect(crossSession(second) >= 1, "\(String(describing: second.leaks))")
            let pair = try ShardMerge.merge(
                [Self.load("\(folder)/pair-1/result.json"), second].map { ShardMerge.Input(result: $0, source: "") },
                allowPartial: false)
            #expect(crossSession(pair) >= 1)

            // A shard killed mid-run writes nothing: the merge is degraded and fails.
            let killedStart = Self.startAt(in: 2)
            let victim = try CommandLineSupport.start(
                [
                    "netns", "exec", "\(name)-h2", TestSupport.mcploadExecutable, "run", "s.yaml", "--shard", "2/3",
                    "--start-at", killedStart, "--duration", "30s", "--out", "killed-2", "-q",
                ],
                in: folder, executable: NetworkHosts.ip)
            let survivors = try await withThrowingTaskGroup(of: Int32.self) { group in
                for index in [1, 3] {
                    group.addTask {
                        try await NetworkHosts.mcpload(
                            on: name, host: index,
                            [
                                "run", "s.yaml", "--shard", "\(index)/3", "--start-at", killedStart, "--duration", "2s",
                                "--out", "killed-\(index)", "-q",
                            ], in: folder
                        ).status
                    }
                }
                var statuses: [Int32] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            #expect(survivors == [0, 0])
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/killed-2/result.json"))
            let degraded = try ShardMerge.merge(
                [1, 3].map {
                    ShardMerge.Input(result: try Self.load("\(folder)/killed-\($0)/result.json"), source: "")
                },
                allowPartial: false)
            #expect(degraded.status == .degraded && degraded.merged?.missing == [2])
            #expect(!degraded.thresholdsPassed)
        }
    }
}
