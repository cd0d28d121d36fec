import ArgumentParser

/// The `mcpload` command: argument parsing only; the work lives in the library targets.
struct MCPLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpload",
        abstract: "Load and concurrency testing for MCP servers.",
        discussion: """
            Exit codes: 0 the run completed and every threshold held, 1 a threshold or regression gate \
            failed (audit: a finding), 2 bad input (scenario, flags or files), 3 the run could not start or \
            was aborted (partial results are still written).
            """,
        subcommands: [
            RunCommand.self, CompareCommand.self, ReportCommand.self, AuditCommand.self, ValidateCommand.self,
            DemoServerCommand.self,
        ]
    )
}

/// Exit codes, one meaning each (README "Exit codes").
enum ExitStatus {
    static let ok: Int32 = 0
    static let thresholdFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let notStartedOrAborted: Int32 = 3
}
