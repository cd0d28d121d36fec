import ArgumentParser
import MCPLoadReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render a saved result.json without running anything.")

    @Argument(help: "A result.json file.")
    var result: String

    func run() throws {
        print(TerminalSummary.render(try CompareCommand.load(result)))
    }
}
