import Foundation
import MCPLoadCore

/// `summary.md`: what a CI job summary page shows. The verdict first, then one table per run.
package enum MarkdownSummary {
    package static func render(_ results: [RunResult]) -> String {
        let failed = results.filter { !$0.thresholdsPassed || $0.status != .completed }
        let name = results.first?.scenario.name ?? "scenario"
        var lines = [
            "# mcpload: \(name)",
            "",
            failed.isEmpty
                ? "**Passed**: \(results.count == 1 ? "the run" : "all \(results.count) runs") completed and every threshold held."
                : "**Failed**: \(failed.count) of \(results.count) \(results.count == 1 ? "run" : "runs") broke a threshold or did not complete.",
        ]
        for result in results { lines += [""] + section(result, headed: results.count > 1) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ result: RunResult, headed: Bool) -> [String] {
        let scenario = result.scenario
        var lines: [String] = []
        if headed { lines += ["## \(scenario.variant ?? scenario.transport)", ""] }
        lines.append(
            "\(scenario.virtualClients) clients over \(scenario.transport)"
                + (scenario.topology.map { " (\($0))" } ?? "")
                + ", \(result.status.rawValue) in \(DurationText.rounded(result.durationSeconds, places: 2)) s"
                + (result.harness.flatMap { harness in
                    harness.saturation.map {
                        ". **\(harness.headline ?? "harness saturated"): figures unreliable** (\($0))"
                    }
                } ?? "") + "."
        )
        // A shard's part, or a merge's shards and start skew.
        for line in ShardSummary.render(result) { lines += ["", line + "."] }
        lines += [
            "", "| step | requests | ok | fail% | failures | p50 | p99 | req/s |",
            "|---|---:|---:|---:|---|---:|---:|---:|",
        ]
        let seconds = max(result.durationSeconds, 1e-9)
        for step in result.steps {
            let summary = step.latency.summary
            let latency = { (micros: UInt64) in
                summary.count == 0 ? "-" : DurationText.formatMicroseconds(Double(micros))
            }
            lines.append(
                "| \(cell(step.label)) | \(step.attempts) | \(step.successes) | \(TerminalSummary.percent(step.failureRate)) "
                    + "| \(cell(TerminalSummary.breakdown(step.failures))) | \(latency(summary.p50)) | \(latency(summary.p99)) "
                    + "| \(DurationText.rounded(Double(step.attempts) / seconds, places: 1)) |")
        }
        let auth = AuthSummary.render(result)
        if !auth.isEmpty { lines += ["", "```"] + auth + ["```"] }
        if let audit = result.audit {
            lines += [
                "",
                "Tool surface: \(audit.tools.count) tools, ~\(audit.estimatedTokensPerSession) tokens per session; "
                    + (audit.findings.isEmpty
                        ? "no findings."
                        : "**\(audit.findings.count) findings** (\(AuditSummary.categoryCounts(audit)))."),
            ]
        }
        if !result.thresholds.isEmpty {
            lines += ["", "| threshold | measured | |", "|---|---:|---|"]
            for outcome in result.thresholds {
                lines.append(
                    "| `\(cell(outcome.threshold))` | \(outcome.measuredText) | \(outcome.passed ? "pass" : "**FAIL**") |"
                )
            }
        }
        return lines
    }

    /// Table cells cannot hold a pipe or a line break.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
