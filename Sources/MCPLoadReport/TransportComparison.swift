import MCPLoadCore

/// The same scenario over several transports, side by side: one row per run.
public enum TransportComparison {
    public static func render(_ results: [RunResult]) -> String {
        var table = TextTable(header: [
            "transport", "status", "requests", "req/s", "p50", "p99", "p99.9", "fail%", "failures", "setup p50",
            "setup p99",
        ])
        for result in results {
            var latency = LatencyHistogram()
            for step in result.steps { latency.merge(step.latency) }
            let setup = result.session.setupLatency
            table.rows.append([
                result.scenario.transport,
                result.status.rawValue,
                String(result.totals.attempts),
                DurationText.rounded(result.totals.requestsPerSecond, places: 1),
                micros(latency, 50),
                micros(latency, 99),
                micros(latency, 99.9),
                TerminalSummary.percent(result.totals.failureRate),
                TerminalSummary.breakdown(result.totals.failures),
                micros(setup, 50),
                micros(setup, 99),
            ])
        }
        let name = results.first?.scenario.name ?? "scenario"
        let clients = results.first?.scenario.virtualClients ?? 0
        return
            "\(name) over \(results.count) transports, \(clients) clients each (latency of successful requests, all steps):\n"
            + table.render()
    }

    private static func micros(_ histogram: LatencyHistogram, _ percentile: Double) -> String {
        histogram.count == 0
            ? "-" : DurationText.formatMicroseconds(Double(histogram.microseconds(atPercentile: percentile)))
    }
}
