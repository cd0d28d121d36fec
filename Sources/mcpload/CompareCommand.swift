import ArgumentParser
import Foundation
import MCPLoadCore
import MCPLoadReport

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare saved results: a run against its baseline (with regression gates), or several side by side.",
        discussion: """
            Two files: BASE then NEW, every step before → after; each --gate caps how much worse NEW \
            may be (exit 1 when one is broken). Three or more: one row each, as a matrix run prints.
            """)

    @Argument(help: "result.json files: BASE NEW, or several runs to put side by side.")
    var results: [String]

    @Option(
        name: .customLong("gate"),
        help: "How much worse NEW may be, e.g. 'p99(call echo) +10%', 'failure_rate +0.5pp', 'rate -10%' (repeatable).")
    var gates: [String] = []

    func validate() throws {
        guard results.count >= 2 else { throw ValidationError("compare needs at least two result.json files") }
        if !gates.isEmpty && results.count != 2 {
            throw ValidationError("--gate compares a run with its baseline: give exactly two files, BASE then NEW")
        }
    }

    func run() throws {
        let loaded = try results.map(Self.load)
        guard loaded.count == 2 else {
            print(VariantComparison.render(loaded))
            return
        }
        let (base, new) = (loaded[0], loaded[1])
        let parser = ThresholdParser(
            stepLabels: base.steps.map(\.label),
            leakDetectors: LeakDetector.reportOrder(
                LeakDetector.allCases + (base.leaks?.detectors.keys.map { $0 } ?? [])))
        var outcomes: [GateOutcome] = []
        for text in gates {
            do {
                outcomes.append(try parser.parseGate(text).evaluate(base: base, new: new))
            } catch {
                throw InputError("--gate '\(text)': \(error.message)")
            }
        }
        print(BaselineComparison.render(base: base, new: new, gates: outcomes))
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.thresholdFailed) }
    }

    static func load(_ path: String) throws -> RunResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot read the file")
        }
        do {
            let result = try RunResult.decode(from: data)
            guard result.schema == RunResult.schemaIdentifier else {
                throw InputError("\(path): schema '\(result.schema)', this mcpload reads \(RunResult.schemaIdentifier)")
            }
            return result
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(path): not an mcpload result.json (\(Self.reason(error)))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: "\(error)"
        }
    }
}
