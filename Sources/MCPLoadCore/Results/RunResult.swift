import Foundation

/// The outcome of a run: what was asked, what happened, every measurement merged.
///
/// This is `result.json` (schema `mcpload.result/v1`, documented in results/README.md). Reporters
/// render it and nothing else, so a saved result re-renders, merges and compares exactly.
public struct RunResult: Sendable, Codable, Equatable {
    public static let schemaIdentifier = "mcpload.result/v1"

    public var schema = RunResult.schemaIdentifier
    public var runID: String
    public var scenario: ScenarioInfo
    public var status: Status
    /// Why the run was aborted or could not start; nil when it completed.
    public var statusReason: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// Wall time from the first client start to the last client end.
    public var durationSeconds: Double
    public var totals: Totals
    public var session: SessionStatistics
    public var steps: [StepStatistics]
    public var protocolTraffic: ProtocolStatistics
    public var iterations: IterationCounts
    public var servers: ServerInfo
    /// The fan-in proxy's own counts; nil unless the target's topology was shared-process.
    public var proxy: FanInStatistics?
    /// Sensitive values seen on the wire, per detector (`leaks:`); nil when scanning was off.
    public var leaks: LeakStatistics?
    /// The tool-surface audit of every `tools/list` answer of the run; nil when none was listed.
    public var audit: ToolSurfaceAudit?
    /// Open model: the schedule asked for, what was achieved, and how late starts were.
    public var pacing: PacingStatistics?
    /// The run second by second (requests, failures by class, latency, open sessions).
    public var timeline: Timeline?
    /// mcpload's own health during the run: when it was saturated, its figures are unreliable.
    public var harness: HarnessHealth?
    /// Memory and CPU of the server processes mcpload started (stdio servers, HTTP servers it ran).
    public var serverResources: ServerResources?
    /// The `abortOnFail` threshold that stopped the run early, with what was measured when.
    public var abortedByThreshold: String?
    /// Every threshold of the run with its measured value; one that failed makes the run exit 1.
    public var thresholds: [ThresholdOutcome] {
        get { storedThresholds ?? [] }
        set { storedThresholds = newValue }
    }
    /// Optional on disk: results written before thresholds existed have none.
    private var storedThresholds: [ThresholdOutcome]?

    /// Whether every threshold held (true when there were none).
    public var thresholdsPassed: Bool { thresholds.allSatisfy(\.passed) }

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
        case abortedByThreshold, leaks, audit
        case storedThresholds = "thresholds"
    }

    public enum Status: String, Sendable, Codable, Hashable {
        case completed
        /// Stopped early (Ctrl-C, or a fatal error); the figures cover what ran.
        case aborted
        /// No session could be opened: nothing was measured against the server.
        case notStarted = "not_started"
    }

    public struct ScenarioInfo: Sendable, Codable, Hashable {
        public var name: String
        public var file: String?
        public var target: String
        public var transport: String
        public var virtualClients: Int
        public var iterations: Int?
        public var durationSeconds: Double?
        public var rampUpSeconds: Double
        public var thinkSeconds: Double
        public var protocolVersion: String
        /// stdio: `process per client` or `shared process (ids …, initialize …)`; nil over HTTP.
        public var topology: String?
        /// Open model: the arrival schedule (`200/s for 30s`); nil for the closed model.
        public var arrivals: String?
        /// The matrix row this run was, if it was one, and what the row shows.
        public var variant: String?
        public var variantAbout: String?

        public init(
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

    public struct Totals: Sendable, Codable, Equatable {
        public var attempts: UInt64
        public var successes: UInt64
        public var failures: FailureTally
        /// Attempts that never reached the server, and those that reached it and failed.
        public var neverSent: UInt64
        public var sentAndFailed: UInt64
        public var requestsPerSecond: Double
        public var bytesOut: UInt64
        public var bytesIn: UInt64
    }

    public struct IterationCounts: Sendable, Codable, Hashable {
        public var completed: UInt64
        public var abandoned: UInt64
        /// Open model: iterations due to start when no client was free; never started, never delayed.
        public var dropped: UInt64 = 0

        public init(completed: UInt64, abandoned: UInt64, dropped: UInt64 = 0) {
            self.completed = completed
            self.abandoned = abandoned
            self.dropped = dropped
        }

        private enum CodingKeys: String, CodingKey {
            case completed, abandoned, dropped
        }

        /// `dropped` came with the open model, within schema v1: absent in earlier results, it is 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            completed = try container.decode(UInt64.self, forKey: .completed)
            abandoned = try container.decode(UInt64.self, forKey: .abandoned)
            dropped = try container.decodeIfPresent(UInt64.self, forKey: .dropped) ?? 0
        }
    }

    public struct ServerInfo: Sendable, Codable, Equatable {
        /// The last stderr lines of a few server processes.
        public var stderrTails: [StderrTail]
    }

    public struct StderrTail: Sendable, Codable, Hashable {
        public var virtualClient: Int
        public var lines: [String]
    }
}
