import Foundation
import MCPLoadCore

/// Writes a run's files into its results folder.
public enum ResultWriter {
    /// Creates `directory` if needed and writes `result.json` there, with `summary.md` and
    /// `junit.xml` rendered from it; returns result.json's path.
    @discardableResult
    public static func write(_ result: RunResult, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("result.json")
        try result.encodedJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
        try writeReports(for: [result], to: directory)
        return path
    }

    /// `summary.md` and `junit.xml` for several runs together (a matrix), in `directory`.
    public static func writeReports(for results: [RunResult], to directory: String) throws {
        try Data(MarkdownSummary.render(results).utf8).write(
            to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("summary.md")), options: .atomic)
        try Data(JUnitReport.render(results).utf8).write(
            to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("junit.xml")), options: .atomic)
    }
}
