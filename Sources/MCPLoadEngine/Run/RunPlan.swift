import Logging
import MCPLoadCore
import MCPLoadTransport

/// Everything a run needs, resolved: the scenario, how to reach its server, and the run's bounds.
///
/// A class, shared by every virtual client: as a struct (700 bytes) it was copied into every
/// suspended async frame that held it, several per client, which at 10,000 clients is tens of
/// megabytes of task memory (`scripts/bench-scale`).
package final class RunPlan: Sendable {
    package let scenario: Scenario
    package let target: ResolvedTarget
    package let control: RunControl
    /// The run's time: every sleep and every "now" of the engine (a manual clock in tests).
    package let clock: any EngineClock
    /// What each client's state machine knows of the scenario and the load model.
    let clientConfiguration: ClientStateMachine.Configuration
    /// Session lifecycle events (info: failed setups and abnormal server exits; debug: every session).
    package let logger: Logger
    /// HTTP headers with `${ENV}` resolved; their values are secrets as far as output goes.
    package let headers: [(name: String, value: String)]
    /// Hides those values (and every other secret of the target, and whatever the leak
    /// detectors recognise) in everything the run reports.
    package let redactor: Redactor
    /// The open model's dispatcher, set by the driver; nil in the closed model.
    let arrivals: OpenArrivals?
    /// Running totals for the live progress line.
    package let live: LiveCounters
    /// Scans every request and answer when the scenario asks for leak statistics.
    let leakScanner: LeakScanner?
    /// Each client's `{{canary}}`, and who owns each.
    let canaries: LeakCanaries
    /// Salts the fingerprints of leaked values; never written anywhere.
    let leakSalt: UInt64
    /// `auth:` resolved: every identity's credentials; nil without `auth:` (or over stdio).
    let auth: ResolvedAuth?
    /// Tokens issued during the run, which the redactor hides wherever they show up.
    let issuedSecrets: IssuedSecrets
    /// How many identities the whole run has (every shard's clients); nil without `auth:`.
    let identityCount: Int?
    /// Per step: whether a client renders its params the same way every time
    /// (``Step/rendersOncePerClient``), so that it encodes them once.
    let rendersOncePerClient: [Bool]

    package init(
        scenario: Scenario, target: ResolvedTarget, control: RunControl, logger: Logger = Logger(label: "mcpload"),
        headers: [(name: String, value: String)] = [], redactor: Redactor = .none, auth: ResolvedAuth? = nil
    ) {
        self.scenario = scenario
        // A matrix row may change how tokens are kept: the run's own scenario says.
        var auth = scenario.target.transport.isHTTP ? auth : nil
        if let settings = scenario.auth { auth?.settings = settings }
        self.auth = auth
        identityCount = auth?.identityCount(
            virtualClients: scenario.shard?.totalVirtualClients ?? scenario.load.virtualClients)
        let issuedSecrets = IssuedSecrets()
        self.issuedSecrets = issuedSecrets
        self.target = target
        self.control = control
        clock = control.clock
        clientConfiguration = ClientStateMachine.Configuration(
            steps: scenario.steps.map(ClientStateMachine.StepKind.init), strategy: scenario.session.strategy,
            retry: scenario.retry, thinkTime: scenario.load.thinkTime,
            iterationsPerClient: scenario.load.pacer == nil ? scenario.load.iterations : nil,
            isOpenModel: scenario.load.pacer != nil,
            reauthenticates: scenario.target.transport.isHTTP && auth?.settings.oauth != nil)
        self.logger = logger
        self.headers = headers
        arrivals = nil
        live = LiveCounters()
        canaries = LeakCanaries(
            clients: scenario.load.virtualClients, shard: scenario.shard, scenarioName: scenario.name)
        let scanner = scenario.leaks.map { LeakScanner(detectors: $0.detectors, custom: $0.custom) }
        leakScanner = scanner
        // Whatever the detectors recognise is hidden wherever a server's words are quoted.
        self.redactor = redactor.recognising(scanner).watching(issuedSecrets)
        leakSalt = UInt64.random(in: 0...UInt64.max)
        rendersOncePerClient = scenario.steps.map(\.rendersOncePerClient)
    }

    /// The same plan, its iterations started by the open model's dispatcher.
    private init(_ plan: RunPlan, arrivals: OpenArrivals) {
        scenario = plan.scenario
        target = plan.target
        control = plan.control
        clock = plan.clock
        clientConfiguration = plan.clientConfiguration
        logger = plan.logger
        headers = plan.headers
        redactor = plan.redactor
        self.arrivals = arrivals
        live = plan.live
        canaries = plan.canaries
        leakScanner = plan.leakScanner
        leakSalt = plan.leakSalt
        auth = plan.auth
        issuedSecrets = plan.issuedSecrets
        identityCount = plan.identityCount
        rendersOncePerClient = plan.rendersOncePerClient
    }

    /// Client `index` as `{{vu}}` sees it: unique across the shards of a sharded run.
    func globalVirtualClient(_ index: Int) -> Int {
        index + (scenario.shard?.virtualClientOffset ?? 0)
    }

    /// Client `index`'s identity as `{{identity}}` sees it; nil without `auth:`.
    func identity(ofClient index: Int) -> Int? {
        identityCount.map { AuthSettings.identity(ofClient: globalVirtualClient(index), among: $0) }
    }

    /// A recorder for client `index` (0: the run's own measurements), hiding the run's secrets.
    func makeRecorder(virtualClient index: Int) -> Recorder {
        var recorder = Recorder(virtualClient: index, steps: index == 0 ? [] : scenario.steps)
        recorder.redactor = redactor
        return recorder
    }

    func scheduled(by arrivals: OpenArrivals) -> RunPlan {
        RunPlan(self, arrivals: arrivals)
    }

    /// Waits for leave to start client `index`'s next iteration; nil when the run has no more
    /// for it. Closed model: granted at once while the run's bounds allow; open model: when
    /// the dispatcher hands the client an arrival.
    func nextIteration(for index: Int, after iterations: Int) async -> IterationStart? {
        guard let arrivals else {
            await control.waitForLoadStart()
            return control.mayStartIteration(after: iterations) ? IterationStart(due: nil) : nil
        }
        guard !control.isDraining, let due = await arrivals.nextIteration(for: index) else { return nil }
        return IterationStart(due: due)
    }

    /// ``nextIteration(for:after:)`` when it can be answered without waiting (the closed model,
    /// its load under way): `.some(nil)` refuses; nil means only the async one can answer.
    func nextIterationWithoutWaiting(after iterations: Int) -> IterationStart?? {
        guard arrivals == nil, control.loadIsUnderWay else { return nil }
        return .some(control.mayStartIteration(after: iterations) ? IterationStart(due: nil) : nil)
    }

    /// Clients whose sessions open before the load starts (closed model, per client, all
    /// started at once): the load starts when the last of them has settled. Nil when the load
    /// starts with the clients.
    var clientsSettingUp: Int? {
        let load = scenario.load
        guard load.pacer == nil, scenario.session.strategy == .perClient, load.rampUp == .zero else { return nil }
        return load.virtualClients
    }

    /// A client's start-up is over; the last one of ``clientsSettingUp`` starts the load.
    func clientSettled() {
        let settled = live.clientSettled()
        if let clientsSettingUp, settled >= clientsSettingUp { control.startLoad() }
    }

    /// What the run is doing, as a client's decisions need it.
    var runContext: ClientStateMachine.RunContext {
        ClientStateMachine.RunContext(
            draining: control.isDraining, deadlinePassed: control.deadlinePassed,
            scheduleOver: arrivals?.isOver ?? false, now: clock.now)
    }

    /// Resolves the scenario's target. `builtin: demo` runs DEMO (the mcpload executable itself)
    /// as `demo-server --stdio ARGS` per client, or once as `demo-server --http 0 ARGS` for HTTP.
    package static func resolve(_ scenario: Scenario, demoExecutable: String) -> ResolvedTarget {
        let target = scenario.target
        func launch(_ command: [String]) -> StdioLaunch {
            StdioLaunch(
                command: command,
                environment: target.environment,
                workingDirectory: target.workingDirectory,
                maxMessageBytes: scenario.session.maxMessageBytes,
                shutdownGrace: scenario.session.shutdownGrace)
        }
        let kind: HTTPKind = target.transport == .sse ? .legacySSE : .streamable
        switch (target.launch, target.transport) {
        case (.url(let endpoint), _):
            return .http(endpoint: endpoint, kind: kind)
        case (.httpCommand(let command, let endpoint), _):
            return .httpServer(launch(command), endpoint: endpoint, kind: kind)
        case (.builtinDemo(let arguments), .http), (.builtinDemo(let arguments), .sse):
            let announce = kind == .legacySSE ? ["--announce-sse"] : []
            return .demoHTTP(
                launch([demoExecutable, "demo-server", "--http", "0", "--exit-on-stdin-eof"] + announce + arguments),
                kind: kind)
        case (.builtinDemo(let arguments), .stdio):
            return stdio(launch([demoExecutable, "demo-server", "--stdio"] + arguments), target.topology)
        case (.command(let words), _):
            return stdio(launch(words), target.topology)
        }
    }

    private static func stdio(_ launch: StdioLaunch, _ topology: StdioTopology) -> ResolvedTarget {
        switch topology {
        case .processPerClient: .stdio(launch)
        case .sharedProcess(let settings): .sharedStdio(launch, settings)
        }
    }
}

/// Where sessions go, once resolved.
package enum ResolvedTarget: Sendable {
    /// A server process per session, spoken to over its stdin and stdout.
    case stdio(StdioLaunch)
    /// Server processes started once for the run, every session multiplexed onto them through
    /// the fan-in proxy.
    case sharedStdio(StdioLaunch, FanInSettings)
    /// An HTTP server already running at `endpoint`.
    case http(endpoint: String, kind: HTTPKind)
    /// The demo server started once for the run; it prints the endpoint (of `kind`) it listens on.
    case demoHTTP(StdioLaunch, kind: HTTPKind)
    /// A server started once for the run, ready when `endpoint` answers HTTP.
    case httpServer(StdioLaunch, endpoint: String, kind: HTTPKind)
}
