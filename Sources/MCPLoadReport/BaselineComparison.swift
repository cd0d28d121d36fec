import MCPLoadCore

/// A run beside its baseline: every step's figures before → after with the change, then the
/// regression gates' verdicts.
package enum BaselineComparison {
    package static func render(base: RunResult, new: RunResult, gates: [GateOutcome]) -> String {
        var table = TextTable(header: ["step", "requests", "fail%", "p50", "p99", "req/s"])
        let seconds = (base: max(base.durationSeconds, 1e-9), new: max(new.durationSeconds, 1e-9))
        var labels = base.steps.map(\.label)
        for step in new.steps where !labels.contains(step.label) { labels.append(step.label) }
        for label in labels {
            let before = base.steps.first { $0.label == label }
            let after = new.steps.first { $0.label == label }
            table.rows.append([
                label,
                pair(before.map { Double($0.attempts) }, after.map { Double($0.attempts) }, unit: .count),
                pair(before.map(\.failureRate), after.map(\.failureRate), unit: .fraction),
                pair(percentile(before, 50), percentile(after, 50), unit: .duration),
                pair(percentile(before, 99), percentile(after, 99), unit: .duration),
                pair(
                    before.map { Double($0.attempts) / seconds.base }, after.map { Double($0.attempts) / seconds.new },
                    unit: .perSecond),
            ])
        }
        table.rows.append([
            "all requests",
            pair(Double(base.totals.attempts), Double(new.totals.attempts), unit: .count),
            pair(base.totals.failureRate, new.totals.failureRate, unit: .fraction),
            "", "",
            pair(base.totals.requestsPerSecond, new.totals.requestsPerSecond, unit: .perSecond),
        ])
        var lines = [
            "baseline: \(describe(base))",
            "new:      \(describe(new))",
            "",
            table.render(),
        ]
        if !gates.isEmpty {
            let failed = gates.filter { !$0.passed }.count
            lines.append("")
            lines.append(failed == 0 ? "gates: all \(gates.count) held" : "gates: \(failed) of \(gates.count) BROKEN")
            for gate in gates {
                lines.append(
                    "  \(gate.passed ? "pass" : "FAIL")  \(gate.gate)  (\(gate.baseText) → \(gate.newText), \(gate.changeText))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ result: RunResult) -> String {
        let label = result.scenario.variant.map { " [\($0)]" } ?? ""
        return "\(result.scenario.name)\(label), run \(result.runID), \(result.scenario.transport), "
            + "\(result.scenario.virtualClients) clients, \(result.status.rawValue)"
    }

    private static func percentile(_ step: StepStatistics?, _ percentile: Double) -> Double? {
        guard let step, step.latency.count > 0 else { return nil }
        return Double(step.latency.microseconds(atPercentile: percentile))
    }

    /// `4.20ms → 5.10ms (+21.4%)`; `-` for a side that has no value.
    private static func pair(_ before: Double?, _ after: Double?, unit: ThresholdMetric.Unit) -> String {
        let text = { (value: Double?) in value.map { ThresholdEvaluator.format($0, unit: unit) } ?? "-" }
        guard let before, let after else { return "\(text(before)) → \(text(after))" }
        return "\(text(before)) → \(text(after)) (\(RegressionGate.change(from: before, to: after, unit: unit)))"
    }
}
