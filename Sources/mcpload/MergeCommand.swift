import ArgumentParser
import Foundation
import MCPLoadCore
import MCPLoadReport

/// `mcpload merge`: the shards of a sharded run (`--shard I/N`) as one result, with every report.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results of a sharded run into one result: exact sums, histograms added bucket by bucket.",
        discussion: """
            Takes result.json files, or folders searched for them. Refuses results of different scenarios, \
            mcpload versions or splits, and duplicate shards. With shards missing the merged result is \
            'degraded' and fails its thresholds, unless --allow-partial.
            """)

    @Argument(help: "Shards' result.json files, or folders that hold them.")
    var results: [String]

    @Option(help: "Folder for the merged result.json and reports (default: results/<run-id>-merged).")
    var out: String?

    @Flag(help: "Missing shards do not fail the merged result's thresholds by themselves.")
    var allowPartial = false

    func run() throws {
        let inputs = try Self.findResults(results, excluding: out).map { path in
            ShardMerge.Input(result: try CompareCommand.load(path), source: path)
        }
        let merged: RunResult
        do {
            merged = try ShardMerge.merge(inputs, allowPartial: allowPartial)
        } catch {
            throw InputError(error.description)
        }
        print(TerminalSummary.render(merged))
        let directory = out ?? "results/\(merged.runID)-merged"
        do {
            let path = try ResultWriter.write(merged, to: directory)
            print("\nresult: \(path)\n")
        } catch {
            throw OutputError("the merged results in \(directory)", error)
        }
        if !merged.thresholdsPassed { throw ExitCode(ExitStatus.thresholdFailed) }
    }

    /// Every result.json named or found in a named folder (up to three levels down), in a
    /// stable order; the output folder is never read back.
    static func findResults(_ paths: [String], excluding output: String?) throws -> [String] {
        var found: [String] = []
        let excluded = output.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            let root = URL(fileURLWithPath: path).standardizedFileURL
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            var inFolder: [String] = []
            while let url = enumerator?.nextObject() as? URL {
                let relative = url.standardizedFileURL.path.dropFirst(root.path.count)
                if relative.split(separator: "/").count > 3 { enumerator?.skipDescendants() }
                if let excluded, url.standardizedFileURL.path.hasPrefix(excluded) { continue }
                if url.lastPathComponent == "result.json" { inFolder.append(url.path) }
            }
            guard !inFolder.isEmpty else { throw InputError("\(path): no result.json in this folder") }
            found += inFolder.sorted()
        }
        return found
    }
}
