import MCPLoadCore

/// The same scenario run several ways (transports, topologies: a matrix), side by side.
package enum VariantComparison {
    /// One row per run, labelled by its matrix row (or transport); what each row shows (its
    /// `about`) is printed under the table.
    package static func render(_ results: [RunResult]) -> String {
        var table = TextTable(header: [
            "variant", "status", "sessions", "requests", "ok", "fail%", "never sent", "sent+failed", "failures",
            "req/s", "p50", "p99", "setup p50", "thresholds",
        ])
        for result in results {
            let headline = RunHeadline(result)
            let session = result.session
            table.rows.append([
                headline.label,
                result.status.rawValue,
                "\(session.opened)/\(session.opened + session.setupFailures.total)",
                String(headline.requests),
                String(headline.requests - headline.failures.total),
                TerminalSummary.percent(headline.failureRate),
                String(headline.failures.notSent),
                String(headline.failures.total - headline.failures.notSent),
                TerminalSummary.breakdown(headline.failures),
                DurationText.rounded(headline.requestsPerSecond, places: 1),
                headline.latencyText(atPercentile: 50),
                headline.latencyText(atPercentile: 99),
                micros(session.setupLatency, 50),
                RunHeadline.thresholdVerdict(result.thresholds),
            ])
        }
        let name = results.first?.scenario.name ?? "scenario"
        let clients = results.first?.scenario.virtualClients ?? 0
        var lines = [
            "\(name), \(results.count) ways, \(clients) clients each "
                + "(requests include session handshakes; latency of successful steps):",
            table.render(),
        ]
        if results.contains(where: { $0.auth != nil }) { lines += ["", authTable(results)] }
        let explained = results.compactMap { result in
            result.scenario.variantAbout.map { (RunHeadline(result).label, $0) }
        }
        if !explained.isEmpty {
            lines.append("")
            let width = explained.map(\.0.count).max() ?? 0
            for (label, note) in explained {
                lines.append("  \(label.padding(toLength: width, withPad: " ", startingAt: 0))  \(note)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// With identities: what each way did to the token endpoint and what refusals cost clients.
    private static func authTable(_ results: [RunResult]) -> String {
        var table = TextTable(header: [
            "variant", "401s", "peak 401/s", "token requests", "peak token/s", "token p50", "token p99",
            "token failures", "recovery p50", "recovery p99", "recovery max",
        ])
        for result in results {
            guard let auth = result.auth else { continue }
            let peak401 = result.timeline?.seconds.map { $0.failures[.auth] ?? 0 }.max() ?? 0
            table.rows.append([
                RunHeadline(result).label, String(auth.rejected), String(peak401), String(auth.tokenRequests),
                String(auth.peakTokenRequestsPerSecond), micros(auth.tokenLatency, 50), micros(auth.tokenLatency, 99),
                String(auth.tokenFailureCount), micros(auth.recovery, 50), micros(auth.recovery, 99),
                auth.recovery.count == 0 ? "-" : DurationText.formatMicroseconds(Double(auth.recovery.maxMicroseconds)),
            ])
        }
        return "authentication (the token endpoint apart from MCP latency):\n" + table.render()
    }

    private static func micros(_ histogram: LatencyHistogram, _ percentile: Double) -> String {
        histogram.count == 0
            ? "-" : DurationText.formatMicroseconds(Double(histogram.microseconds(atPercentile: percentile)))
    }
}
