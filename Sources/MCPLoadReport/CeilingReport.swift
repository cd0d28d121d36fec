import MCPLoadCore

/// A ceiling search's steps, one row per rate, and the verdict: the highest rate that held.
package enum CeilingReport {
    /// One step of the search, read off its run's result.
    package static func step(from result: RunResult, folder: String) -> CeilingOutcome.Step {
        var latency = LatencyHistogram()
        for step in result.steps { latency.merge(step.latency) }
        let pacing = result.pacing
        return CeilingOutcome.Step(
            targetRate: pacing?.targetRate ?? 0, achievedRate: pacing?.achievedRate ?? 0,
            requests: result.totals.attempts, failureRate: result.totals.failureRate,
            p50: latency.count > 0 ? latency.microseconds(atPercentile: 50) : nil,
            p99: latency.count > 0 ? latency.microseconds(atPercentile: 99) : nil,
            dropped: pacing?.dropped ?? 0, thresholds: result.thresholds,
            held: result.status == .completed && result.thresholdsPassed, resultFolder: folder)
    }

    package static func render(_ outcome: CeilingOutcome, scenario: String) -> String {
        var table = TextTable(header: [
            "target", "achieved", "requests", "fail%", "p50", "p99", "dropped", "verdict",
        ])
        for step in outcome.steps {
            let broken = step.thresholds.filter { !$0.passed }
            let verdict =
                step.held
                ? "held"
                : "broke: " + broken.map { "\($0.threshold) (\($0.measuredText))" }.joined(separator: "; ")
            table.rows.append([
                rate(step.targetRate), rate(step.achievedRate), String(step.requests),
                TerminalSummary.percent(step.failureRate), micros(step.p50), micros(step.p99), String(step.dropped),
                broken.isEmpty && !step.held ? "did not complete" : verdict,
            ])
        }
        let verdict = outcome.highestHeldRate.map { "ceiling: \(rate($0)) held" } ?? "ceiling: no step held"
        return [
            "\(scenario): ceiling search, \(outcome.steps.count) steps (latency of successful requests, from when due):",
            table.render(),
            "",
            "\(verdict); stopped: \(outcome.stoppedBecause)",
        ].joined(separator: "\n")
    }

    private static func rate(_ value: Double) -> String { "\(DurationText.rounded(value, places: 1))/s" }

    private static func micros(_ value: UInt64?) -> String {
        value.map { DurationText.formatMicroseconds(Double($0)) } ?? "-"
    }
}
