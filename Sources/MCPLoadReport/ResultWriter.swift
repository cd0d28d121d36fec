import Foundation
import MCPLoadCore

/// Writes a run's files into its results folder.
public enum ResultWriter {
    /// Creates `directory` if needed and writes `result.json` there; returns the file's path.
    @discardableResult
    public static func write(_ result: RunResult, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("result.json")
        try result.encodedJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}
