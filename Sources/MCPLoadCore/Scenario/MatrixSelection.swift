import Foundation

/// Which runs one `mcpload run` makes of a scenario: one per matrix row (the scenario's own
/// rows, or the transports named on the command line, which replace them), narrowed to the
/// rows `--rows` names; or the scenario alone when there is no matrix.
package struct MatrixSelection: Sendable, Equatable {
    /// The rows to run, in the scenario's order; empty for a single run.
    package let rows: [MatrixRow]
    /// Whether the rows are the scenario's own (not transports from the command line).
    package let rowsAreTheScenarios: Bool

    /// Bad selections (`--rows` without a matrix, a row that does not exist), said in a line.
    package struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    package init(_ scenario: Scenario, transports: [TargetSpec.Transport], rowNames: String?) throws(Refusal) {
        let fromCommandLine = transports.count > 1
        let all =
            fromCommandLine ? transports.map { MatrixRow(label: $0.rawValue, transport: $0) } : scenario.matrix
        rowsAreTheScenarios = !fromCommandLine && !scenario.matrix.isEmpty
        guard let rowNames else {
            rows = all
            return
        }
        guard !all.isEmpty else { throw Refusal(description: "--rows: the scenario has no matrix") }
        let wanted = rowNames.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let labels = all.map(\.label)
        for label in wanted where !labels.contains(label) {
            throw Refusal(
                description: "--rows: no matrix row '\(label)'; the rows are: \(labels.joined(separator: ", "))")
        }
        rows = all.filter { wanted.contains($0.label) }
    }

    /// The scenarios to run: one per row, or `scenario` itself.
    package func variants(of scenario: Scenario) -> [Scenario] {
        rows.isEmpty ? [scenario] : rows.map(scenario.applying)
    }
}
