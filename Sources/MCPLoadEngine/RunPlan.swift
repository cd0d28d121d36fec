import Logging
import MCPLoadCore
import MCPLoadTransport

/// Everything a run needs, resolved: the scenario, how to start its server, and the run's bounds.
public struct RunPlan: Sendable {
    public var scenario: Scenario
    public var launch: StdioLaunch
    public var control: RunControl
    /// Session lifecycle events (info: failed setups and abnormal server exits; debug: every session).
    public var logger: Logger

    public init(
        scenario: Scenario, launch: StdioLaunch, control: RunControl, logger: Logger = Logger(label: "mcpload")
    ) {
        self.scenario = scenario
        self.launch = launch
        self.control = control
        self.logger = logger
    }

    /// Resolves the scenario's target: `builtin: demo` becomes `DEMO demo-server --stdio ARGS`,
    /// where DEMO is the mcpload executable itself.
    public static func launch(for scenario: Scenario, demoExecutable: String) -> StdioLaunch {
        let command: [String]
        switch scenario.target.launch {
        case .command(let words): command = words
        case .builtinDemo(let arguments): command = [demoExecutable, "demo-server", "--stdio"] + arguments
        }
        return StdioLaunch(
            command: command,
            environment: scenario.target.environment,
            workingDirectory: scenario.target.workingDirectory,
            maxMessageBytes: scenario.session.maxMessageBytes,
            shutdownGrace: scenario.session.shutdownGrace)
    }
}
