import ArgumentParser
import MCPLoadCore

/// The `mcpload` command: argument parsing only; the work lives in the library targets.
struct MCPLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcpload",
        abstract: "Load and concurrency testing for MCP servers.",
        discussion: """
            Exit codes: 0 the run completed and every threshold held, 1 a threshold or regression gate \
            failed (audit: a finding), 2 bad input (scenario, flags or files), 3 the run could not start or \
            was aborted (partial results are still written), 4 a result or report could not be written, \
            5 an internal error in mcpload itself.
            """,
        version: MCPLoadVersion.current,
        subcommands: [
            RunCommand.self, MergeCommand.self, KubernetesCommand.self, CompareCommand.self, ReportCommand.self,
            AuditCommand.self,
            ValidateCommand.self,
            DemoServerCommand.self, GuardianCommand.self,
        ]
    )
}

/// Exit codes, one meaning each (README "Exit codes").
enum ExitStatus {
    static let ok: Int32 = 0
    static let thresholdFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let notStartedOrAborted: Int32 = 3
    static let outputFailed: Int32 = 4
    static let internalError: Int32 = 5
}

/// A file mcpload had to write (a result, a report, a comparison) could not be written: the
/// run's outcome is unknown to whoever reads the folder, so it is never a silent success.
struct OutputError: Error, CustomStringConvertible {
    let description: String

    init(_ path: String, _ error: any Error) {
        description = "could not write \(path): \(error.localizedDescription)"
    }
}
