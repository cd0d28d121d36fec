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

    @Flag(name: .shortAndLong, help: "Log every session's start and end to stderr.")
    var verbose = false

    func run() async throws {
        var parsed = try ScenarioLoader.load(scenario)
        overrides.apply(to: &parsed)
        try overrides.check(parsed)
        try DescriptorBudget.check(virtualClients: parsed.load.virtualClients)

        let control = RunControl(iterationsPerClient: parsed.load.iterations, duration: parsed.load.duration)
        let demoExecutable = Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "mcpload")
        logger.logLevel = verbose ? .debug : .warning
        let plan = RunPlan(
            scenario: parsed, target: RunPlan.resolve(parsed, demoExecutable: demoExecutable), control: control,
            logger: logger)
        let runID = LoadRunner.makeRunID()
        let directory = out ?? "results/\(runID)"
        // Found out now, not after a long run whose results would then be lost.
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError("--out \(directory): cannot create the results folder (\(error.localizedDescription))")
        }
        print(announcement(parsed))

        let interrupts = InterruptHandler(control: control)
        let result = await LoadRunner.run(plan, runID: runID, scenarioFile: scenario)
        interrupts.cancel()

        print("")
        print(TerminalSummary.render(result))
        do {
            let path = try ResultWriter.write(result, to: directory)
            print("\nresult: \(path)")
        } catch {
            FileHandle.standardError.write(Data("mcpload: could not write results to \(directory): \(error)\n".utf8))
            throw ExitCode(ExitStatus.notStartedOrAborted)
        }
        if result.status != .completed { throw ExitCode(ExitStatus.notStartedOrAborted) }
    }

    private func announcement(_ scenario: Scenario) -> String {
        let load = scenario.load
        let bound = LoadSettings.describeBound(iterations: load.iterations, durationSeconds: load.duration?.seconds)
        let topology =
            switch scenario.target.transport {
            case .stdio: "stdio, process per client"
            case .http: "Streamable HTTP, session per client"
            case .sse: "legacy HTTP+SSE, session per client"
            }
        return "mcpload: \(scenario.name): \(load.virtualClients) virtual clients, \(bound), \(topology)"
    }
}
