import Foundation

/// The outcome of a run: what was asked, what happened, every measurement merged.
///
/// This is `result.json` (schema `mcpload.result/v1`, documented in results/README.md). Reporters
/// render it and nothing else, so a saved result re-renders, merges and compares exactly.
package struct RunResult: Sendable, Codable, Equatable {
    package static let schemaIdentifier = "mcpload.result/v1"

    package var schema = RunResult.schemaIdentifier
    package var runID: String
    package var scenario: ScenarioInfo
    package var status: Status
    /// Why the run was aborted or could not start; nil when it completed.
    package var statusReason: String?
    package var startedAt: Date
    package var finishedAt: Date
    /// Wall time from the first client start to the last client end.
    package var durationSeconds: Double
    package var totals: Totals
    package var session: SessionStatistics
    package var steps: [StepStatistics]
    package var protocolTraffic: ProtocolStatistics
    package var iterations: IterationCounts
    package var servers: ServerInfo
    /// The fan-in proxy's own counts; nil unless the target's topology was shared-process.
    package var proxy: FanInStatistics?
    /// Sensitive values seen on the wire, per detector (`leaks:`); nil when scanning was off.
    package var leaks: LeakStatistics?
    /// The tool-surface audit of every `tools/list` answer of the run; nil when none was listed.
    package var audit: ToolSurfaceAudit?
    /// Open model: the schedule asked for, what was achieved, and how late starts were.
    package var pacing: PacingStatistics?
    /// Which replicas answered (`target.replicaHeader`): requests and session breaks per replica.
    package var replicas: ReplicaTally?
    /// The run second by second (requests, failures by class, latency, open sessions).
    package var timeline: Timeline?
    /// mcpload's own health during the run: when it was saturated, its figures are unreliable.
    package var harness: HarnessHealth?
    /// Memory and CPU of the server processes mcpload started (stdio servers, HTTP servers it ran).
    package var serverResources: ServerResources?
    /// The server's own count of the sessions it holds (`target.sessionCount`), read over the run.
    package var serverSessions: ServerSessionCount?
    /// Authentication apart from MCP latency (`auth:`): the token endpoint's row, why tokens
    /// were asked for, what refusals cost.
    package var auth: AuthStatistics?
    /// One shard's part of a sharded run (`--shard I/N`); nil for a whole run.
    package var shard: ShardRecord?
    /// A merge of shards' results (`mcpload merge`): which shards it holds, the start skew.
    package var merged: MergeRecord?
    /// The mcpload that wrote this result: a merge refuses results of different versions.
    package var mcploadVersion: String?
    /// The `abortOnFail` threshold that stopped the run early, with what was measured when.
    package var abortedByThreshold: String?
    /// Every threshold of the run with its measured value; one that failed makes the run exit 1.
    package var thresholds: [ThresholdOutcome] {
        get { storedThresholds ?? [] }
        set { storedThresholds = newValue }
    }
    /// Optional on disk: results written before thresholds existed have none.
    private var storedThresholds: [ThresholdOutcome]?

    /// Whether every threshold held (true when there were none).
    package var thresholdsPassed: Bool { thresholds.allSatisfy(\.passed) }

    init(
        runID: String, scenario: ScenarioInfo, status: Status, statusReason: String?, startedAt: Date,
        finishedAt: Date, durationSeconds: Double, totals: Totals, session: SessionStatistics,
        steps: [StepStatistics], protocolTraffic: ProtocolStatistics, iterations: IterationCounts,
        servers: ServerInfo, proxy: FanInStatistics?
    ) {
        self.runID = runID
        self.scenario = scenario
        self.status = status
        self.statusReason = statusReason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.totals = totals
        self.session = session
        self.steps = steps
        self.protocolTraffic = protocolTraffic
        self.iterations = iterations
        self.servers = servers
        self.proxy = proxy
    }

    private enum CodingKeys: String, CodingKey {
        case schema, runID, scenario, status, statusReason, startedAt, finishedAt, durationSeconds, totals, session
        case steps, protocolTraffic, iterations, servers, proxy, pacing, harness, serverResources, timeline
        case abortedByThreshold, leaks, audit, replicas, serverSessions, shard, merged, mcploadVersion, auth
        case storedThresholds = "thresholds"
    }

    package enum Status: String, Sendable, Codable, Hashable {
        case completed
        /// Stopped early (Ctrl-C, or a fatal error); the figures cover what ran.
        case aborted
        /// No session could be opened: nothing was measured against the server.
        case notStarted = "not_started"
        /// A merge of shards with some missing: the figures cover less than the intended load.
        case degraded
    }

    package struct ScenarioInfo: Sendable, Codable, Hashable {
        package var name: String
        package var file: String?
        package var target: String
        package var transport: String
        package var virtualClients: Int
        package var iterations: Int?
        package var durationSeconds: Double?
        package var rampUpSeconds: Double
        package var thinkSeconds: Double
        package var protocolVersion: String
        /// stdio: `process per client` or `shared process (ids …, initialize …)`; nil over HTTP.
        package var topology: String?
        /// Open model: the arrival schedule (`200/s for 30s`); nil for the closed model.
        package var arrivals: String?
        /// The matrix row this run was, if it was one, and what the row shows.
        package var variant: String?
        package var variantAbout: String?

        package init(
            name: String, file: String?, target: String, transport: String, virtualClients: Int, iterations: Int?,
            durationSeconds: Double?, rampUpSeconds: Double, thinkSeconds: Double, protocolVersion: String,
            topology: String? = nil, variant: String? = nil, variantAbout: String? = nil, arrivals: String? = nil
        ) {
            self.arrivals = arrivals
            self.variantAbout = variantAbout
            self.topology = topology
            self.variant = variant
            self.name = name
            self.file = file
            self.target = target
            self.transport = transport
            self.virtualClients = virtualClients
            self.iterations = iterations
            self.durationSeconds = durationSeconds
            self.rampUpSeconds = rampUpSeconds
            self.thinkSeconds = thinkSeconds
            self.protocolVersion = protocolVersion
        }
    }

    package struct Totals: Sendable, Codable, Equatable {
        package var attempts: UInt64
        package var successes: UInt64
        package var failures: FailureTally
        /// Attempts that never reached the server, and those that reached it and failed.
        package var neverSent: UInt64
        package var sentAndFailed: UInt64
        package var requestsPerSecond: Double
        package var bytesOut: UInt64
        package var bytesIn: UInt64
    }

    package struct IterationCounts: Sendable, Codable, Hashable {
        package var completed: UInt64
        package var abandoned: UInt64
        /// Open model: iterations due to start when no client was free; never started, never delayed.
        package var dropped: UInt64 = 0

        package init(completed: UInt64, abandoned: UInt64, dropped: UInt64 = 0) {
            self.completed = completed
            self.abandoned = abandoned
            self.dropped = dropped
        }

        private enum CodingKeys: String, CodingKey {
            case completed, abandoned, dropped
        }

        /// `dropped` came with the open model, within schema v1: absent in earlier results, it is 0.
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            completed = try container.decode(UInt64.self, forKey: .completed)
            abandoned = try container.decode(UInt64.self, forKey: .abandoned)
            dropped = try container.decodeIfPresent(UInt64.self, forKey: .dropped) ?? 0
        }
    }

    package struct ServerInfo: Sendable, Codable, Equatable {
        /// The last stderr lines of a few server processes.
        package var stderrTails: [StderrTail]
    }

    package struct StderrTail: Sendable, Codable, Hashable {
        package var virtualClient: Int
        package var lines: [String]
    }
}
