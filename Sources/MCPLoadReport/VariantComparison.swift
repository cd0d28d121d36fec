import MCPLoadCore

/// The same scenario run several ways (transports, topologies: a matrix), side by side.
public enum VariantComparison {
    /// One row per run, labelled by its matrix row (or transport); what each row shows (its
    /// `about`) is printed under the table.
    public static func render(_ results: [RunResult]) -> String {
        var table = TextTable(header: [
            "variant", "status", "sessions", "requests", "ok", "fail%", "never sent", "sent+failed", "failures",
            "req/s", "p50", "p99", "setup p50", "thresholds",
        ])
        for result in results {
            var latency = LatencyHistogram()
            for step in result.steps { latency.merge(step.latency) }
            // Every request counts, the handshakes too: a session that never opened is the
            // commonest failure under fan-in, and its steps were never attempted.
            let session = result.session
            var failures = result.totals.failures
            failures.merge(session.setupFailures)
            let requests = result.totals.attempts + session.opened + session.setupFailures.total
            let rate = requests == 0 ? 0 : Double(failures.total) / Double(requests)
            table.rows.append([
                label(result),
                result.status.rawValue,
                "\(session.opened)/\(session.opened + session.setupFailures.total)",
                String(requests),
                String(requests - failures.total),
                TerminalSummary.percent(rate),
                String(failures.notSent),
                String(failures.total - failures.notSent),
                TerminalSummary.breakdown(failures),
                DurationText.rounded(Double(requests) / max(result.durationSeconds, 1e-9), places: 1),
                micros(latency, 50),
                micros(latency, 99),
                micros(session.setupLatency, 50),
                thresholdCell(result.thresholds),
            ])
        }
        let name = results.first?.scenario.name ?? "scenario"
        let clients = results.first?.scenario.virtualClients ?? 0
        var lines = [
            "\(name), \(results.count) ways, \(clients) clients each "
                + "(requests include session handshakes; latency of successful steps):",
            table.render(),
        ]
        let explained = results.compactMap { result in result.scenario.variantAbout.map { (label(result), $0) } }
        if !explained.isEmpty {
            lines.append("")
            let width = explained.map(\.0.count).max() ?? 0
            for (label, note) in explained {
                lines.append("  \(label.padding(toLength: width, withPad: " ", startingAt: 0))  \(note)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `3/3 passed`, `1 of 3 FAILED`, or `-` when the run had none.
    private static func thresholdCell(_ outcomes: [ThresholdOutcome]) -> String {
        guard !outcomes.isEmpty else { return "-" }
        let failed = outcomes.filter { !$0.passed }.count
        return failed == 0 ? "\(outcomes.count)/\(outcomes.count) passed" : "\(failed) of \(outcomes.count) FAILED"
    }

    private static func label(_ result: RunResult) -> String {
        result.scenario.variant ?? result.scenario.transport
    }

    private static func micros(_ histogram: LatencyHistogram, _ percentile: Double) -> String {
        histogram.count == 0
            ? "-" : DurationText.formatMicroseconds(Double(histogram.microseconds(atPercentile: percentile)))
    }
}
