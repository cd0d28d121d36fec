import Foundation
import MCPLoadCore

/// Writes a run's files into its results folder.
package enum ResultWriter {
    /// Creates `directory` if needed and writes `result.json` there, with `summary.md`,
    /// `junit.xml` and `report.html` rendered from it; returns result.json's path.
    @discardableResult
    package static func write(_ result: RunResult, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("result.json")
        try result.encodedJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
        try writeReports(for: [result], to: directory)
        return path
    }

    /// `summary.md`, `junit.xml` and `report.html` for several runs together (a matrix), in `directory`.
    package static func writeReports(for results: [RunResult], to directory: String) throws {
        let reports = [
            ("summary.md", MarkdownSummary.render(results)), ("junit.xml", JUnitReport.render(results)),
            ("report.html", HTMLReport.render(results)),
        ]
        for (name, text) in reports {
            try Data(text.utf8).write(
                to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)), options: .atomic)
        }
    }
}
