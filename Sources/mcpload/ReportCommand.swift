import ArgumentParser
import MCPLoadReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render a saved result.json without running anything.")

    @Argument(help: "A result.json file.")
    var result: String

    enum Format: String, EnumerableFlag {
        case text, md, junit, html
    }

    @Flag(help: "What to render: the terminal summary (default), Markdown (summary.md), JUnit XML or the HTML report.")
    var format: Format = .text

    func run() throws {
        let loaded = try CompareCommand.load(result)
        switch format {
        case .text: print(TerminalSummary.render(loaded))
        case .md: print(MarkdownSummary.render([loaded]), terminator: "")
        case .junit: print(JUnitReport.render([loaded]), terminator: "")
        case .html: print(HTMLReport.render([loaded]), terminator: "")
        }
    }
}
