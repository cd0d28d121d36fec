import Foundation
import Yams

/// `mcpload kubernetes`: the manifests that run a scenario as N shards on a cluster, the way
/// k6-operator runs k6, but with one start instant for every pod and a merge at the end.
///
/// - a ConfigMap with the scenario file;
/// - a PersistentVolumeClaim (ReadWriteMany) where every shard writes its result;
/// - an Indexed Job: N pods at once, each `mcpload run --shard` from `JOB_COMPLETION_INDEX`,
///   all starting their load at `--start-at`; a failed pod is not retried
///   (`backoffLimitPerIndex: 0`), since a retry would start late and skew the timing;
/// - a merge Job that waits for the shards' results (with a timeout) and writes the merged
///   result and reports beside them.
package struct KubernetesManifests: Sendable {
    package var name: String
    package var namespace: String?
    package var image: String
    package var shards: Int
    /// The scenario file's text, as the pods read it.
    package var scenarioText: String
    package var startAt: Date
    /// How long the merge waits for every shard's result before merging what there is.
    package var mergeTimeout: Duration
    package var cpu: String
    package var memory: String
    package var volumeSize: String
    package var storageClass: String?
    /// A Secret whose keys become the pods' environment (`${VAR}` in the scenario).
    package var environmentSecret: String?

    package init(
        name: String, image: String, shards: Int, scenarioText: String, startAt: Date, mergeTimeout: Duration
    ) {
        self.name = name
        self.image = image
        self.shards = shards
        self.scenarioText = scenarioText
        self.startAt = startAt
        self.mergeTimeout = mergeTimeout
        cpu = "1"
        memory = "1Gi"
        volumeSize = "1Gi"
    }

    /// Kubernetes object names: DNS labels, lower case, at most 63 characters with our suffixes.
    package static func isValidName(_ name: String) -> Bool {
        guard (1...50).contains(name.utf8.count), let first = name.utf8.first, let last = name.utf8.last else {
            return false
        }
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return allowed(first) && allowed(last) && name.utf8.allSatisfy { allowed($0) || $0 == UInt8(ascii: "-") }
    }

    /// Where the pods mount the scenario and the results, and where the image has mcpload.
    static let scenarioPath = "/scenario/scenario.yaml"
    static let resultsRoot = "/results"
    /// The user scripts/Dockerfile creates and runs as.
    package static let imageUser = 10001

    /// Every manifest, as one multi-document YAML stream.
    package func render() throws -> String {
        try Yams.serialize(nodes: documents, explicitStart: true)
    }

    var documents: [Node] {
        [configMap, volumeClaim, shardJob, mergeJob]
    }

    private var startText: String {
        startAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The run's folder on the results volume: its name and start, so that a run applied again
    /// under the same name never merges an earlier run's shards.
    package var resultsFolder: String {
        let stamp = startAt.formatted(
            Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted))
        return "\(name)-\(stamp.filter { $0.isNumber || $0 == "T" })"
    }

    /// What every object and pod of the run carries: `kubectl delete … -l mcpload/run=NAME`
    /// removes them all.
    private func labels(component: String) -> Node {
        mapping([
            ("app.kubernetes.io/name", "mcpload"), ("mcpload/run", Self.text(name)),
            ("mcpload/component", Self.text(component)),
        ])
    }

    private func metadata(_ suffix: String, component: String) -> Node {
        var pairs: [(Node, Node)] = [
            ("name", Self.text("\(name)-\(suffix)")),
            ("labels", labels(component: component)),
        ]
        if let namespace { pairs.append(("namespace", Self.text(namespace))) }
        return mapping(pairs)
    }

    private var configMap: Node {
        mapping([
            ("apiVersion", "v1"), ("kind", "ConfigMap"), ("metadata", metadata("scenario", component: "scenario")),
            ("data", mapping([("scenario.yaml", Node.scalar(.init(scenarioText, .implicit, .literal)))])),
        ])
    }

    private var volumeClaim: Node {
        var spec: [(Node, Node)] = [
            ("accessModes", ["ReadWriteMany"]),
            ("resources", mapping([("requests", mapping([("storage", Self.text(volumeSize))]))])),
        ]
        if let storageClass { spec.append(("storageClassName", Self.text(storageClass))) }
        return mapping([
            ("apiVersion", "v1"), ("kind", "PersistentVolumeClaim"),
            ("metadata", metadata("results", component: "results")), ("spec", mapping(spec)),
        ])
    }

    /// Each pod: its shard from the Job's index, one start instant, its result on the volume.
    /// Exit 1 is a threshold that failed, a result like any other; only worse fails the pod.
    private var shardScript: String {
        """
        out="\(Self.resultsRoot)/$MCPLOAD_RUN/shard-$((JOB_COMPLETION_INDEX + 1))"
        mcpload run \(Self.scenarioPath) --start-at "$MCPLOAD_START_AT" --out "$out" -q
        status=$?
        [ "$status" -le 1 ] || exit "$status"
        """
    }

    private var shardJob: Node {
        let pod = podSpec(
            container: "shard", script: shardScript, cpu: cpu,
            environment: [
                ("MCPLOAD_SHARDS", String(shards)), ("MCPLOAD_START_AT", startText), ("MCPLOAD_RUN", resultsFolder),
            ],
            spreadOverNodes: true)
        return mapping([
            ("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", metadata("shards", component: "shard")),
            (
                "spec",
                mapping([
                    ("completionMode", "Indexed"), ("completions", Self.plain(shards)),
                    ("parallelism", Self.plain(shards)),
                    // A retried shard would start after the others: count it missing instead.
                    ("backoffLimitPerIndex", Self.plain(0)), ("maxFailedIndexes", Self.plain(shards)),
                    ("ttlSecondsAfterFinished", Self.plain(86_400)),
                    ("template", pod),
                ])
            ),
        ])
    }

    /// Waits until every shard wrote its result or the timeout passes, then merges what is
    /// there: missing shards make the merged result degraded, which fails its thresholds.
    private var mergeScript: String {
        """
        results="\(Self.resultsRoot)/$MCPLOAD_RUN"
        deadline=$(( $(date +%s) + MCPLOAD_MERGE_TIMEOUT ))
        while [ "$(ls "$results"/shard-*/result.json 2>/dev/null | wc -l)" -lt "$MCPLOAD_SHARDS" ] \\
            && [ "$(date +%s)" -lt "$deadline" ]; do
            sleep 5
        done
        mcpload merge "$results" --out "$results/merged"
        status=$?
        [ "$status" -le 1 ] || exit "$status"
        """
    }

    private var mergeJob: Node {
        let timeoutSeconds = Int(clampingDouble: mergeTimeout.seconds.rounded(.up))
        let pod = podSpec(
            container: "merge", script: mergeScript, cpu: "250m",
            environment: [
                ("MCPLOAD_SHARDS", String(shards)), ("MCPLOAD_RUN", resultsFolder),
                ("MCPLOAD_MERGE_TIMEOUT", String(timeoutSeconds)),
            ],
            spreadOverNodes: false)
        return mapping([
            ("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", metadata("merge", component: "merge")),
            (
                "spec",
                mapping([
                    ("completions", Self.plain(1)), ("parallelism", Self.plain(1)), ("backoffLimit", Self.plain(0)),
                    ("activeDeadlineSeconds", Self.plain(timeoutSeconds + 600)),
                    ("ttlSecondsAfterFinished", Self.plain(86_400)), ("template", pod),
                ])
            ),
        ])
    }

    /// `cpu`: the shards get what was asked; the merge, which only reads files, a quarter core.
    private func podSpec(
        container: String, script: String, cpu: String, environment: [(String, String)], spreadOverNodes: Bool
    ) -> Node {
        var containerPairs: [(Node, Node)] = [
            ("name", Self.text(container)), ("image", Self.text(image)),
            ("command", ["/bin/sh", "-c"]),
            ("args", Node.sequence(.init([Node.scalar(.init(script, .implicit, .literal))]))),
            (
                "env",
                Node.sequence(
                    .init(environment.map { mapping([("name", Self.text($0.0)), ("value", Self.quoted($0.1))]) }))
            ),
        ]
        if let environmentSecret {
            containerPairs.append(
                (
                    "envFrom",
                    Node.sequence(.init([mapping([("secretRef", mapping([("name", Self.text(environmentSecret))]))])]))
                ))
        }
        containerPairs += [
            (
                "resources",
                mapping([
                    ("requests", mapping([("cpu", Self.quoted(cpu)), ("memory", Self.text(memory))])),
                    ("limits", mapping([("cpu", Self.quoted(cpu)), ("memory", Self.text(memory))])),
                ])
            ),
            (
                "volumeMounts",
                [
                    mapping([("name", "scenario"), ("mountPath", "/scenario"), ("readOnly", Self.plain(true))]),
                    mapping([("name", "results"), ("mountPath", Self.text(Self.resultsRoot))]),
                ]
            ),
        ]
        var spec: [(Node, Node)] = [
            ("restartPolicy", "Never"),
            // The image's own user (scripts/Dockerfile); the volume is made writable for it.
            (
                "securityContext",
                mapping([
                    ("runAsNonRoot", Self.plain(true)), ("runAsUser", Self.plain(Self.imageUser)),
                    ("fsGroup", Self.plain(Self.imageUser)),
                ])
            ),
            ("containers", Node.sequence(.init([mapping(containerPairs)]))),
            (
                "volumes",
                [
                    mapping([("name", "scenario"), ("configMap", mapping([("name", Self.text("\(name)-scenario"))]))]),
                    mapping([
                        ("name", "results"),
                        ("persistentVolumeClaim", mapping([("claimName", Self.text("\(name)-results"))])),
                    ]),
                ]
            ),
        ]
        if spreadOverNodes {
            // One shard per node where the cluster allows: load from as many addresses as it can.
            spec.append(
                (
                    "topologySpreadConstraints",
                    [
                        mapping([
                            ("maxSkew", Self.plain(1)), ("topologyKey", "kubernetes.io/hostname"),
                            ("whenUnsatisfiable", "ScheduleAnyway"),
                            (
                                "labelSelector",
                                mapping([
                                    (
                                        "matchLabels",
                                        mapping([("mcpload/run", Self.text(name)), ("mcpload/component", "shard")])
                                    )
                                ])
                            ),
                        ])
                    ]
                ))
        }
        return mapping([
            (
                "metadata",
                mapping([("labels", labels(component: container))])
            ),
            ("spec", mapping(spec)),
        ])
    }

    private func mapping(_ pairs: [(Node, Node)]) -> Node {
        Node.mapping(.init(pairs))
    }

    /// A number or a flag, written plainly so that it reads as one.
    private static func plain(_ value: some CustomStringConvertible) -> Node {
        Node.scalar(.init(value.description, .implicit, .plain))
    }

    /// A string as YAML writes it plainly where that stays a string.
    private static func text(_ value: String) -> Node {
        Node.scalar(.init(value, .implicit, .any))
    }

    /// A string that must stay one even when it looks like a number (`"3"`, `"1"`).
    private static func quoted(_ value: String) -> Node {
        Node.scalar(.init(value, .implicit, .doubleQuoted))
    }
}
