import Foundation
import MCPLoadCore
import Testing
import Yams

@testable import MCPLoadEngine

extension ProcessTests {
    /// `mcpload kubernetes`: manifests that the Kubernetes schemas accept, and whose pod scripts,
    /// run here with `sh` as each pod would run them, make N shards and one merged result.
    @Suite("Kubernetes manifests", .timeLimit(.minutes(2)))
    struct KubernetesManifestTests {
        /// The manifests for `shards` shards of quickstart, printed by the CLI, as parsed YAML.
        static func manifests(_ shards: Int, _ more: [String] = []) async throws -> (text: String, documents: [Node]) {
            let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/quickstart.yaml").path
            let printed = try await CommandLineSupport.mcpload(
                ["kubernetes", scenario, "--shards", "\(shards)", "--image", "registry.example/mcpload:0.13.0"] + more)
            #expect(printed.status == 0, "\(printed.errors)")
            return (printed.output, Array(try Yams.compose_all(yaml: printed.output)))
        }

        static func job(_ documents: [Node], component: String) throws -> Node {
            try #require(documents.first { $0["metadata"]?["labels"]?["mcpload/component"]?.string == component })
        }

        @Test(
            "3 and 8 shards: an Indexed Job, no retries, one start for all, valid against the Kubernetes schemas",
            .enabled(if: TestSupport.pythonVenv != nil), arguments: [3, 8])
        func validManifests(shards: Int) async throws {
            let (text, documents) = try await Self.manifests(
                shards, ["--namespace", "load", "--env-secret", "mcp-token", "--storage-class", "nfs"])
            #expect(documents.map { $0["kind"]?.string } == ["ConfigMap", "PersistentVolumeClaim", "Job", "Job"])
            let spec = try #require(try Self.job(documents, component: "shard")["spec"])
            #expect(spec["completionMode"]?.string == "Indexed")
            #expect(spec["completions"]?.int == shards && spec["parallelism"]?.int == shards)
            #expect(spec["backoffLimitPerIndex"]?.int == 0)
            let environment = spec["template"]?["spec"]?["containers"]?[0]?["env"]?.sequence ?? []
            let start = try #require(environment.first { $0["name"]?.string == "MCPLOAD_START_AT" }?["value"]?.string)
            let startAt = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(start)
            #expect(abs(startAt.timeIntervalSinceNow - 120) < 30, "\(start)")
            let scenario = try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("scenarios/quickstart.yaml"),
                encoding: .utf8)
            #expect(documents[0]["data"]?["scenario.yaml"]?.string == scenario)
            // The schemas kubernetes-validate ships, strictly: no unknown field anywhere.
            let venv = try #require(TestSupport.pythonVenv)
            let file = try CommandLineSupport.temporaryDirectory() + "/manifests.yaml"
            try CommandLineSupport.write(text, to: file)
            let validated = try await CommandLineSupport.command(
                "\(venv)/bin/kubernetes-validate", ["--strict", "--quiet", file])
            #expect(validated.status == 0, "\(validated.output)\(validated.errors)")
        }

        @Test("the pods' own scripts, run here as three shard pods and the merge pod, give one merged result")
        func podScriptsRunHere() async throws {
            // Lead enough for three shards to spawn their servers on a busy 2-core machine (4 s
            // was not, beside other suites): a shard not ready by then is reported late.
            let (_, documents) = try await Self.manifests(3, ["--start-in", "10s"])
            let folder = try CommandLineSupport.temporaryDirectory()
            // The pod's paths, here: the scenario (shortened to 2 s) and the results volume.
            let scenario = try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("scenarios/quickstart.yaml"),
                encoding: .utf8)
            try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
            try CommandLineSupport.write(
                scenario.replacingOccurrences(of: "duration: 10s", with: "duration: 2s"), to: folder + "/scenario.yaml")
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/bin/mcpload", withDestinationPath: TestSupport.mcploadExecutable)
            func pod(_ component: String) throws -> (script: String, environment: [String: String]) {
                let container = try #require(
                    try Self.job(documents, component: component)["spec"]?["template"]?["spec"]?["containers"]?[0])
                var environment: [String: String] = [:]
                for variable in container["env"]?.sequence ?? [] {
                    if let name = variable["name"]?.string, let value = variable["value"]?.string {
                        environment[name] = value
                    }
                }
                environment["PATH"] = folder + "/bin:/usr/bin:/bin"
                let script = try #require(container["args"]?[0]?.string)
                    .replacingOccurrences(of: "/scenario/scenario.yaml", with: folder + "/scenario.yaml")
                    .replacingOccurrences(of: "/results", with: folder + "/results")
                return (script, environment)
            }
            let shard = try pod("shard")
            let merge = try pod("merge")
            let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        var environment = shard.environment
                        environment["JOB_COMPLETION_INDEX"] = String(index)
                        return try await CommandLineSupport.command(
                            "/bin/sh", ["-c", shard.script], environment: environment
                        ).status
                    }
                }
                group.addTask {
                    try await CommandLineSupport.command(
                        "/bin/sh", ["-c", merge.script], environment: merge.environment
                    )
                    .status
                }
                var statuses: [Int32] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses == [0, 0, 0, 0])
            let run = try #require(merge.environment["MCPLOAD_RUN"])
            let merged = try RunResult.decode(
                from: try #require(FileManager.default.contents(atPath: "\(folder)/results/\(run)/merged/result.json")))
            #expect(merged.status == .completed && merged.merged?.present == [1, 2, 3])
            #expect(merged.session.opened == 20 && merged.thresholdsPassed)
            #expect(merged.merged?.lateShards == [])
        }

        @Test("the Dockerfile puts mcpload on the PATH the pod scripts use, as the user the manifests run as")
        func dockerfileMatches() throws {
            let dockerfile = try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("scripts/Dockerfile"), encoding: .utf8)
            #expect(dockerfile.contains("COPY --from=build /out/mcpload /usr/local/bin/mcpload"))
            #expect(dockerfile.contains("USER \(KubernetesManifests.imageUser)"))
            #expect(dockerfile.contains("--product mcpload --static-swift-stdlib"))
        }

        @Test("a scenario no shard split fits, or a bad name, is bad input before any manifest")
        func refusals() async throws {
            let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/quickstart.yaml").path
            let ceiling = TestSupport.repositoryRoot.appendingPathComponent("scenarios/ceiling.yaml").path
            let cases: [([String], String)] = [
                (["kubernetes", scenario, "--shards", "30", "--image", "i"], "has no virtual clients"),
                (["kubernetes", ceiling, "--shards", "2", "--image", "i"], "a ceiling search cannot be sharded"),
                (["kubernetes", scenario, "--shards", "2", "--image", "i", "--name", "Bad_Name"], "--name Bad_Name"),
                (["kubernetes", scenario, "--shards", "0", "--image", "i"], "--shards 0"),
            ]
            for (arguments, message) in cases {
                let finished = try await CommandLineSupport.mcpload(arguments)
                #expect(finished.status == 2 && finished.errors.contains(message), "\(finished.errors)")
                #expect(finished.output.isEmpty)
            }
        }
    }
}
