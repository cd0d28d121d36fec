import ArgumentParser
import Foundation
import Logging
import MCPLoadCore
import MCPLoadEngine
import MCPLoadReport

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario: many concurrent MCP clients against a server, then a summary and result.json.")

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @OptionGroup var overrides: ScenarioOverrides

    @Option(help: "Folder for this run's files (default: results/<run-id>).")
    var out: String?

    @OptionGroup var sharding: ShardOptions

    @Option(help: "Run only these rows of the scenario's matrix: labels, comma-separated.")
    var rows: String?

    @Option(
        name: .customLong("server-pid"),
        help: "Sample this server's memory and CPU too: one started elsewhere on this machine (repeatable).")
    var serverPIDs: [Int32] = []

    @Flag(name: .shortAndLong, help: "Log every session's start and end to stderr.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "No live progress line while the run goes.")
    var quiet = false

    func run() async throws {
        var parsed = try ScenarioLoader.load(scenario)
        var variants = try plannedVariants(of: &parsed)
        let resolved = try ScenarioLoader.resolveSecrets(of: &variants)
        if let first = variants.first, variants.count == 1 { parsed.target = first.target }

        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "mcpload")
        logger.logLevel = verbose ? .debug : .warning
        let runID = LoadRunner.makeRunID()
        let directory = out ?? "results/\(runID)"
        // Found out now, not after a long run whose results would then be lost.
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError("--out \(directory): cannot create the results folder (\(error.localizedDescription))")
        }

        let interrupts = InterruptHandler()
        defer { interrupts.cancel() }
        if let search = parsed.load.ceiling {
            guard variants.count == 1 else {
                throw InputError("the ceiling model runs one target: no matrix or --transport list")
            }
            try await runCeiling(
                parsed, search: search, runID: runID, into: directory, logger: logger, interrupts: interrupts,
                headers: parsed.target.transport.isHTTP ? resolved.headers : [], redactor: resolved.redactor,
                auth: resolved.auth)
            return
        }
        var results: [RunResult] = []
        for variant in variants where !interrupts.wasInterrupted {
            let folder = variants.count == 1 ? directory : "\(directory)/\(Self.folderName(variant))"
            results.append(
                try await run(
                    variant, runID: runID, into: folder, logger: logger, interrupts: interrupts,
                    headers: variant.target.transport.isHTTP ? resolved.headers : [], redactor: resolved.redactor,
                    auth: resolved.auth))
        }
        if results.count > 1 { try Self.writeComparison(of: results, to: directory) }
        if let status = Self.exitStatus(of: results, interrupted: interrupts.wasInterrupted) {
            throw ExitCode(status)
        }
    }

    /// Whether this run's tasks should run on SwiftNIO's event loops: yes for the closed model
    /// over HTTP, where a client's next request follows its answer on the same loop
    /// (bench-http: 0.30 context switches per call instead of 0.75, 11% less CPU per call). The
    /// open model's dispatcher stays on Swift's own pool: on busy loops its wake-ups queue behind
    /// I/O, and at 20,000/s its dispatch lag grew from ~1 ms to ~0.8 s. So do stdio runs: on the
    /// loops a 30-minute soak of per-request stdio churn grew +1.24% per 10 minutes
    /// (`scripts/soak 30`; +0.63% on the pool), past the 1% the soak allows. A scenario that does
    /// not load is left to ``run()`` to report. `MCPLOAD_EXECUTOR=dispatch` keeps the pool for
    /// any run (the benchmarks' reference).
    func runsOnEventLoops(_ environment: [String: String]) -> Bool {
        guard environment["MCPLOAD_EXECUTOR"] != "dispatch", var parsed = try? ScenarioLoader.load(scenario) else {
            return false
        }
        overrides.apply(to: &parsed)
        // Every run of a matrix or a --transport list must be over HTTP.
        let transports =
            overrides.transports.isEmpty
            ? [parsed.target.transport] + parsed.matrix.compactMap(\.transport) : overrides.transports
        return parsed.load.pacer == nil && parsed.load.ceiling == nil && transports.allSatisfy(\.isHTTP)
    }

    /// The scenarios this command runs, overrides applied and checked, or bad input said.
    private func plannedVariants(of parsed: inout Scenario) throws -> [Scenario] {
        // EPERM: the process exists, under another user; only "no such process" is refused.
        for pid in serverPIDs where pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH) {
            throw InputError("--server-pid \(pid): no such process on this machine")
        }
        try overrides.checkLoad(parsed)
        overrides.apply(to: &parsed)
        try overrides.addThresholds(to: &parsed)
        let selection: MatrixSelection
        do {
            selection = try MatrixSelection(parsed, transports: overrides.transports, rowNames: rows)
        } catch {
            throw InputError(error.description)
        }
        try overrides.checkTargets(for: parsed, rows: selection.rows)
        var variants = selection.variants(of: parsed)
        if selection.rowsAreTheScenarios {
            for index in variants.indices { overrides.applyTarget(toRow: &variants[index]) }
        }
        for variant in variants {
            do {
                try overrides.check(variant)
            } catch let error as InputError where variant.variantLabel != nil && !parsed.matrix.isEmpty {
                throw InputError(
                    "matrix row '\(variant.variantLabel ?? "")': \(error.description) (or leave the row out with --rows)"
                )
            }
        }
        if let shard = try sharding.resolvedShard() {
            do {
                variants = try variants.map { variant throws(ShardError) in try variant.sharded(shard) }
                if parsed.load.ceiling != nil { _ = try parsed.sharded(shard) }
            } catch {
                throw InputError(error.description)
            }
        }
        _ = try sharding.resolvedStart()
        if sharding.startAt != nil, variants.count > 1 || parsed.load.ceiling != nil {
            throw InputError("--start-at starts one run: no matrix, --transport list or ceiling search")
        }
        try DescriptorBudget.check(variants)
        if !parsed.target.headers.isEmpty && !variants.contains(where: { $0.target.transport.isHTTP }) {
            throw InputError("headers are sent over HTTP only; this run has no http or sse transport")
        }
        return variants
    }

    /// A matrix's comparison table, printed and written beside its reports.
    private static func writeComparison(of results: [RunResult], to directory: String) throws {
        let comparison = VariantComparison.render(results)
        print("\n" + comparison)
        try write(Data((comparison + "\n").utf8), to: "\(directory)/comparison.txt")
        print("\ncomparison: \(directory)/comparison.txt")
        do {
            try ResultWriter.writeReports(for: results, to: directory)
        } catch {
            throw OutputError("the matrix reports in \(directory)", error)
        }
    }

    /// How the command exits after its runs: nil for success. A run that a threshold stopped
    /// failed that threshold (1), like one that failed at the end; one stopped otherwise, or an
    /// interruption, is 3.
    static func exitStatus(of results: [RunResult], interrupted: Bool) -> Int32? {
        let stopped = results.filter { $0.status != .completed && $0.abortedByThreshold == nil }
        if interrupted || !stopped.isEmpty { return ExitStatus.notStartedOrAborted }
        if results.contains(where: { !$0.thresholdsPassed || $0.abortedByThreshold != nil }) {
            return ExitStatus.thresholdFailed
        }
        return nil
    }

    /// The ceiling model: one open-model run per rate, each held for `hold`, until a step
    /// breaks an `until` threshold, the maximum rate is passed, or the run is interrupted.
    private func runCeiling(
        _ scenario: Scenario, search: CeilingSearch, runID: String, into directory: String, logger: Logger,
        interrupts: InterruptHandler, headers: [(name: String, value: String)], redactor: Redactor,
        auth: ResolvedAuth?
    ) async throws {
        var progress = CeilingProgress(search)
        while let (index, step) = progress.nextStep(of: scenario, interrupted: interrupts.wasInterrupted) {
            let folder = "step-\(index + 1)"
            let result = try await run(
                step, runID: runID, into: "\(directory)/\(folder)", logger: logger, interrupts: interrupts,
                headers: headers, redactor: redactor, auth: auth)
            progress.record(CeilingReport.step(from: result, folder: folder), completed: result.status == .completed)
        }
        let outcome = progress.outcome
        let report = CeilingReport.render(outcome, scenario: scenario.name)
        print("\n" + report)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try Self.write(try encoder.encode(outcome), to: "\(directory)/ceiling.json")
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError("\(directory)/ceiling.json", error)
        }
        try Self.write(Data((report + "\n").utf8), to: "\(directory)/ceiling.txt")
        print("\nceiling: \(directory)/ceiling.json")
        if interrupts.wasInterrupted || progress.foundNothing {
            throw ExitCode(ExitStatus.notStartedOrAborted)
        }
    }

    /// One scenario run: announce, load, summarise, write result.json.
    private func run(
        _ scenario: Scenario, runID: String, into folder: String, logger: Logger, interrupts: InterruptHandler,
        headers: [(name: String, value: String)], redactor: Redactor, auth: ResolvedAuth?
    ) async throws -> RunResult {
        let clock = RunClock()
        let startAt = try sharding.resolvedStart()
        let control = RunControl(
            iterationsPerClient: scenario.load.iterations, duration: scenario.load.duration, clock: clock,
            scheduledStart: startAt.map { clock.now + .clampedSeconds($0.timeIntervalSinceNow) })
        let demoExecutable = Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
        let plan = RunPlan(
            scenario: scenario, target: RunPlan.resolve(scenario, demoExecutable: demoExecutable), control: control,
            logger: logger, headers: headers, redactor: redactor, auth: auth)
        for pid in serverPIDs { control.children.watch(pid) }
        print(announcement(scenario))
        interrupts.watch(control)
        let quiet = self.quiet
        let scenarioFile = self.scenario
        let result = await withTaskGroup(of: Void.self) { group in
            if !quiet {
                group.addTask {
                    await ProgressPrinter.run(
                        plan.live, clients: scenario.load.virtualClients, total: scenario.load.duration)
                }
            }
            let result = await LoadRunner.run(plan, runID: runID, scenarioFile: scenarioFile)
            group.cancelAll()
            return result
        }
        print("")
        print(TerminalSummary.render(result))
        do {
            let path = try ResultWriter.write(result, to: folder)
            print("\nresult: \(path)\n")
        } catch {
            throw OutputError("the results in \(folder)", error)
        }
        return result
    }

    /// Writes `data` to `path` atomically, or says which file could not be written.
    static func write(_ data: Data, to path: String) throws(OutputError) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputError(path, error)
        }
    }

    private func announcement(_ scenario: Scenario) -> String {
        let load = scenario.load
        let bound =
            load.pacer.map { "open model at \($0.summary)" }
            ?? LoadSettings.describeBound(iterations: load.iterations, durationSeconds: load.duration?.seconds)
        let sessions = scenario.session.strategy.summary
        let topology =
            switch scenario.target.transport {
            case .stdio:
                "stdio, \(scenario.target.topology.summary)"
                    + (scenario.session.strategy == .perClient ? "" : ", \(sessions)")
            case .http: "Streamable HTTP, \(sessions)"
            case .sse: "legacy HTTP+SSE, \(sessions)"
            }
        let name = scenario.variantLabel.map { "\(scenario.name) [\($0)]" } ?? scenario.name
        let clients =
            load.pacer == nil ? "\(load.virtualClients) virtual clients" : "up to \(load.virtualClients) clients"
        let shard = scenario.shard.map { assignment in
            let first = assignment.virtualClientOffset + 1
            let last = assignment.virtualClientOffset + load.virtualClients
            return load.pacer == nil
                ? "; shard \(assignment.shard.description): clients \(first)-\(last) of \(assignment.totalVirtualClients)"
                : "; shard \(assignment.shard.description): arrivals \(assignment.shard.index), \(assignment.shard.index + assignment.shard.count), … of the schedule"
        }
        return "mcpload: \(name): \(clients), \(bound), \(topology)\(shard ?? "")"
    }

    /// `http`, `naive-proxy`: a matrix row's label as a folder name.
    static func folderName(_ variant: Scenario) -> String {
        let label = variant.variantLabel ?? variant.target.transport.rawValue
        let words = label.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? variant.target.transport.rawValue : words.joined(separator: "-")
    }
}
