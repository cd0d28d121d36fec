import MCPLoadJSONRPC

/// A validated scenario: what to load, how hard, and which steps every virtual client repeats.
///
/// Built by ``ScenarioParser`` from YAML; every value here has already been checked, so the
/// engine never meets a scenario error after load has started.
package struct Scenario: Sendable {
    package var name: String
    package var target: TargetSpec
    package var load: LoadSettings
    package var session: SessionSettings
    package var steps: [Step]
    /// Shipping the iteration's transcript with every call (`history:`); nil: none.
    package var history: HistoryCarry?
    /// Retrying failed requests (`retry:`); nil: a failure is final.
    package var retry: RetryPolicy?
    /// Payload-leak scanning (`leaks:`); nil when off.
    package var leaks: LeakSettings?
    /// `auth:`: identities and how they get their tokens; nil: no credentials but `headers`.
    package var auth: AuthSettings?
    /// Pass/fail conditions checked when the run is over (`thresholds:` and `--threshold`).
    package var thresholds: [Threshold] = []
    /// Variants to run one after another and compare (`matrix:`); empty for a single run.
    package var matrix: [MatrixRow] = []
    /// The matrix row this scenario runs as, if it is one, and what the row shows.
    package var variantLabel: String?
    /// Set when this is one shard's part of the load (`--shard I/N`).
    package var shard: ShardAssignment?
    package var variantAbout: String?

    package init(
        name: String,
        target: TargetSpec,
        load: LoadSettings = LoadSettings(),
        session: SessionSettings = SessionSettings(),
        steps: [Step]
    ) {
        self.name = name
        self.target = target
        self.load = load
        self.session = session
        self.steps = steps
    }
}

/// The server under test.
package struct TargetSpec: Sendable, Hashable {
    package enum Launch: Sendable, Hashable {
        /// A command line: the executable (a path, or a name looked up in PATH) and its arguments.
        case command([String])
        /// mcpload's own demo server, started as `mcpload demo-server --stdio ARGS` (one per
        /// client) or `--http 0 ARGS` (one for the run).
        case builtinDemo(arguments: [String])
        /// A running HTTP server's MCP endpoint.
        case url(String)
        /// A command that serves MCP over HTTP at `url`: started once for the run.
        case httpCommand([String], url: String)
    }

    /// How clients reach the server.
    package enum Transport: String, Sendable, Hashable, CaseIterable {
        case stdio
        /// Streamable HTTP (MCP 2025-03-26 and later).
        case http
        /// The legacy HTTP+SSE transport (MCP 2024-11-05): a GET stream and POSTed messages.
        case sse

        /// Whether sessions go over HTTP (and so need a URL or the demo server's HTTP mode).
        package var isHTTP: Bool { self != .stdio }
    }

    package var launch: Launch
    package var transport: Transport
    /// Extra environment variables for the server process, on top of mcpload's own environment.
    package var environment: [String: String]
    package var workingDirectory: String?
    /// Extra HTTP headers for every request of every session (HTTP and SSE only), values with
    /// `${ENV}` references resolved when the run starts.
    package var headers: [String: EnvironmentTemplate] = [:]
    /// stdio only: a server process per client, or one shared through the fan-in proxy.
    package var topology = StdioTopology.processPerClient
    /// Arguments of the command written `{ secret: … }` (or resolved from `${VAR}`): shown
    /// nowhere, like header values.
    package var secretArguments: [String] = []
    /// HTTP only: the answer header that names the replica which served it (`Mcp-Replica` from
    /// the demo server); requests and session breaks are then counted per replica.
    package var replicaHeader: String?
    /// Where the server publishes how many sessions it holds, read once a second over the run.
    package var sessionCount: SessionCountSource?

    package init(
        launch: Launch, transport: Transport = .stdio, environment: [String: String] = [:],
        workingDirectory: String? = nil
    ) {
        self.launch = launch
        self.transport = transport
        self.environment = environment
        self.workingDirectory = workingDirectory
    }
}

/// How hard to load: the closed model (`vus` clients, each looping the steps, bounded by
/// iterations or duration) or the open model (iterations started at a rate, up to `maxVUs`
/// clients at once; `virtualClients` is that cap).
package struct LoadSettings: Sendable, Hashable {
    /// More virtual clients than one machine can hold, and a bound that keeps every count derived
    /// from it (descriptors, canaries) far from overflow.
    package static let maximumVirtualClients = 1_000_000
    /// Iterations per second beyond any load generator; the open model refuses more.
    package static let maximumRate = 1e9

    /// Nil for the closed model; the schedule of iteration starts for the open one.
    package var pacer: Pacer?
    /// The ceiling model: open-model steps at rising rates; each step sets ``pacer``.
    package var ceiling: CeilingSearch?
    package var virtualClients: Int
    /// Iterations per virtual client; nil when the run is bounded by `duration` instead.
    package var iterations: Int?
    package var duration: Duration?
    /// Client starts are spread evenly over this time.
    package var rampUp: Duration
    /// Pause after each iteration.
    package var thinkTime: Duration

    package init(
        virtualClients: Int = 1,
        iterations: Int? = 1,
        duration: Duration? = nil,
        rampUp: Duration = .zero,
        thinkTime: Duration = .zero
    ) {
        self.virtualClients = virtualClients
        self.iterations = iterations
        self.duration = duration
        self.rampUp = rampUp
        self.thinkTime = thinkTime
    }
}

/// How each virtual client talks to its server.
package struct SessionSettings: Sendable, Hashable {
    /// How long a session lives: it alone made a tenfold difference in public measurements.
    package enum Strategy: Sendable, Hashable {
        /// One session per virtual client, kept for all its iterations.
        case perClient
        /// A new session for every iteration (for stdio: a new server process).
        case perIteration
        /// A new session for every request: initialize, call, close.
        case perRequest
        /// N sessions opened for the run and shared by all clients (client i uses session i mod N).
        case pool(Int)

        package static let names = ["per-client", "per-iteration", "per-request", "pool: N"]

        package init?(name: String) {
            switch name {
            case "per-client": self = .perClient
            case "per-iteration": self = .perIteration
            case "per-request": self = .perRequest
            default: return nil
            }
        }

        /// How the run announces it: `session per request`.
        package var summary: String {
            switch self {
            case .perClient: "session per client"
            case .perIteration: "session per iteration"
            case .perRequest: "session per request"
            case .pool(let size): size == 1 ? "1 shared session" : "\(size) shared sessions"
            }
        }

        package var name: String {
            switch self {
            case .perClient: "per-client"
            case .perIteration: "per-iteration"
            case .perRequest: "per-request"
            case .pool(let size): "pool: \(size)"
            }
        }
    }

    package var strategy: Strategy
    /// The protocolVersion mcpload offers in `initialize` unless the step says otherwise.
    package var protocolVersion: String
    package var requestTimeout: Duration
    /// Spawn plus `initialize` must finish within this.
    package var setupTimeout: Duration
    /// After stdin is closed, how long the server gets before SIGTERM, and again before SIGKILL.
    package var shutdownGrace: Duration
    /// A line from the server longer than this is a `protocol` failure, never unbounded memory.
    package var maxMessageBytes: Int
    /// HTTP: how long a TCP connect may take; nil uses `setupTimeout`.
    package var connectTimeout: Duration?
    /// HTTP: a response (or SSE stream) silent for this long is a `timeout`; nil waits as long
    /// as the request timeout allows.
    package var streamIdleTimeout: Duration?
    /// Streamable HTTP: open the optional `GET` listening stream in every session, for messages
    /// the server sends outside any request. stdio and legacy SSE always have such a stream.
    package var listen = false
    /// Streamable HTTP: end each session with `DELETE`, as the spec asks of a client that is done
    /// with it. `false` leaves sessions to the server's own expiry, as many clients do: a churn
    /// without DELETE shows whether the server ever frees them.
    package var endWithDelete = true

    package init(
        strategy: Strategy = .perClient,
        protocolVersion: String = MCPProtocol.latestVersion,
        requestTimeout: Duration = .seconds(10),
        setupTimeout: Duration = .seconds(10),
        shutdownGrace: Duration = .seconds(2),
        maxMessageBytes: Int = 16 << 20
    ) {
        self.strategy = strategy
        self.protocolVersion = protocolVersion
        self.requestTimeout = requestTimeout
        self.setupTimeout = setupTimeout
        self.shutdownGrace = shutdownGrace
        self.maxMessageBytes = maxMessageBytes
    }
}

extension LoadSettings {
    /// `for 30.0s` or `10 iterations each`: what bounds each client's work.
    package static func describeBound(iterations: Int?, durationSeconds: Double?) -> String {
        if let durationSeconds { return "for \(DurationText.format(.nanoseconds(Int64(durationSeconds * 1e9))))" }
        let count = iterations ?? 1
        return count == 1 ? "1 iteration each" : "\(count) iterations each"
    }
}

extension Scenario {
    /// The first `initialize` step's parameters: the handshake every session performs.
    package var initializeParameters: (protocolVersion: String, clientInfo: TemplatedJSON?) {
        for step in steps {
            if case .initialize(let version, let clientInfo) = step.action {
                return (version ?? session.protocolVersion, clientInfo)
            }
        }
        return (session.protocolVersion, nil)
    }
}
