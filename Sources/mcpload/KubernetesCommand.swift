import ArgumentParser
import Foundation
import MCPLoadCore

/// `mcpload kubernetes`: prints the manifests that run a scenario as N shards on a cluster
/// (an Indexed Job, one start instant, results on a shared volume, a merge Job at the end).
struct KubernetesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubernetes",
        abstract: "Print Kubernetes manifests that run a scenario as N shards and merge their results.",
        discussion: """
            Apply them with `mcpload kubernetes … | kubectl apply -f -` within --start-in; the image is \
            built from scripts/Dockerfile. The merged result and reports land in <name>/merged on the \
            results volume.
            """)

    @Argument(help: "The scenario YAML file (checked here, as `mcpload validate` does).")
    var scenario: String

    @Option(help: "How many shards (pods), each running its share of the load.")
    var shards: Int

    @Option(help: "The container image with mcpload (built from scripts/Dockerfile).")
    var image: String

    @Option(help: "Name of the run: prefix of every object, and the folder on the results volume.")
    var name: String?

    @Option(help: "Namespace for every object (default: kubectl's).")
    var namespace: String?

    @Option(
        name: .customLong("start-in"),
        help: "Time from now to the common start: for the pods to be scheduled and ready.")
    var startIn = "2m"

    @Option(help: "How long the merge waits for every shard's result (default: start-in + the load's duration + 5m).")
    var mergeTimeout: String?

    @Option(help: "CPU for each pod, requested and as its limit.")
    var cpu = "1"

    @Option(help: "Memory for each pod, requested and as its limit.")
    var memory = "1Gi"

    @Option(help: "Size of the results volume (ReadWriteMany).")
    var volumeSize = "1Gi"

    @Option(help: "Storage class of the results volume (one that offers ReadWriteMany).")
    var storageClass: String?

    @Option(help: "A Secret whose keys become every pod's environment (the scenario's ${VAR}).")
    var envSecret: String?

    func run() throws {
        let parsed = try ScenarioLoader.load(scenario)
        guard (1...Shard.maximumCount).contains(shards) else {
            throw InputError("--shards \(shards): 1 to \(Shard.maximumCount)")
        }
        // Every shard must have its part: found here, not in a pod on the cluster.
        for index in [1, shards] {
            guard let shard = Shard(index: index, count: shards) else { continue }
            do {
                _ = try parsed.sharded(shard)
            } catch {
                throw InputError(error.description)
            }
        }
        guard parsed.matrix.isEmpty else {
            throw InputError("a matrix runs its rows one after another; shard one row's scenario on its own")
        }
        if case .command = parsed.target.launch {
            // A stdio server must be in the image: say so rather than fail in every pod.
            FileHandle.standardError.write(
                Data(
                    "mcpload kubernetes: the scenario starts '\(parsed.target.launch)'; the image must contain it\n"
                        .utf8))
        }
        guard let lead = DurationText.parse(startIn), lead >= .zero else {
            throw InputError("--start-in \(startIn): a duration such as 90s or 2m")
        }
        let timeout = try mergeWait(parsed, lead: lead)
        let runName = name ?? Self.defaultName(parsed.name)
        guard KubernetesManifests.isValidName(runName) else {
            throw InputError(
                "--name \(runName): lower-case letters, digits and '-', starting and ending with a letter or digit, at most 50"
            )
        }
        guard let text = FileManager.default.contents(atPath: scenario).flatMap({ String(data: $0, encoding: .utf8) })
        else { throw InputError("\(scenario): cannot read the scenario file") }
        var manifests = KubernetesManifests(
            name: runName, image: image, shards: shards, scenarioText: text,
            startAt: Date().addingTimeInterval(lead.seconds), mergeTimeout: timeout)
        manifests.namespace = namespace
        manifests.cpu = cpu
        manifests.memory = memory
        manifests.volumeSize = volumeSize
        manifests.storageClass = storageClass
        manifests.environmentSecret = envSecret
        print(try manifests.render(), terminator: "")
    }

    /// The merge waits for the start, the load and a margin; a run bounded by iterations has
    /// no known length, so it gets 30 minutes unless told.
    private func mergeWait(_ scenario: Scenario, lead: Duration) throws -> Duration {
        if let mergeTimeout {
            guard let parsed = DurationText.parse(mergeTimeout), parsed > .zero else {
                throw InputError("--merge-timeout \(mergeTimeout): a duration such as 20m")
            }
            return parsed
        }
        let load = scenario.load.pacer?.duration ?? scenario.load.duration ?? .seconds(30 * 60)
        return lead + load + scenario.session.setupTimeout + .seconds(300)
    }

    /// `quickstart` → `mcpload-quickstart`, lower-cased, other characters as '-'.
    static func defaultName(_ scenarioName: String) -> String {
        let words = scenarioName.lowercased().split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
        return String((["mcpload"] + words).joined(separator: "-").prefix(50))
    }
}
