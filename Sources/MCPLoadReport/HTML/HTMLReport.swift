import MCPLoadCore

/// `report.html`: one self-contained page (no script, no network; charts are inline SVG) that
/// says in its first lines whether the run passed, then shows why.
package enum HTMLReport {
    package static func render(_ results: [RunResult]) -> String {
        let name = results.first?.scenario.name ?? "scenario"
        var body = [header(results, name: name)]
        if results.count > 1 { body.append(comparison(results)) }
        for (index, result) in results.enumerated() {
            body.append(HTMLRunSection(result: result, anchor: "run-\(index + 1)", headed: results.count > 1).render())
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mcpload: \(Markup.escape(name))</title>
            <style>
            \(stylesheet)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            <footer>Rendered by mcpload from result.json; <code>mcpload report result.json --html</code> renders it again.</footer>
            </body>
            </html>

            """
    }

    /// The verdict a person reads in the first second: passed, failed (and what), or unreliable.
    private static func header(_ results: [RunResult], name: String) -> String {
        let failedThresholds = results.flatMap { $0.thresholds.filter { !$0.passed } }
        let saturated = results.filter { $0.harness?.saturation != nil }
        let (verdictClass, verdict) = self.verdict(results, failedThresholds: failedThresholds)
        var lines = [
            "<header>",
            "<h1>mcpload: \(Markup.escape(name))</h1>",
            #"<p class="verdict \#(verdictClass)">\#(Markup.escape(verdict))</p>"#,
        ]
        for outcome in failedThresholds {
            lines.append(
                #"<p class="broken"><code>\#(Markup.escape(outcome.threshold))</code> measured \#(Markup.escape(outcome.measuredText))</p>"#
            )
        }
        if !saturated.isEmpty {
            let byMachine = saturated.contains { $0.harness?.saturatedBy == .machine }
            lines.append(
                #"<p class="verdict warn">\#(byMachine ? "Machine" : "Harness") saturated: figures unreliable ("#
                    + Markup.escape(saturated.compactMap { $0.harness?.saturation }.joined(separator: "; "))
                    + (byMachine
                        ? "). The machine had no CPU to spare; its load, not only the server, shaped these figures.</p>"
                        : "). mcpload itself was the bottleneck; the server may be faster than these figures.</p>"))
        }
        // A matrix's rows share one run id.
        var seen = Set<String>()
        let runs = results.map(\.runID).filter { seen.insert($0).inserted }.joined(separator: ", ")
        lines.append(#"<p class="meta">run \#(Markup.escape(runs))</p>"#)
        lines.append("</header>")
        return lines.joined(separator: "\n")
    }

    /// The verdict's CSS class and words: failed (thresholds broke, runs did not complete),
    /// passed, or completed with or without failed requests when no threshold judges it.
    private static func verdict(
        _ results: [RunResult], failedThresholds: [ThresholdOutcome]
    ) -> (String, String) {
        let incomplete = results.filter { $0.status != .completed }
        let thresholdCount = results.reduce(0) { $0 + $1.thresholds.count }
        if !failedThresholds.isEmpty || !incomplete.isEmpty {
            var reasons: [String] = []
            if !failedThresholds.isEmpty {
                reasons.append("\(failedThresholds.count) of \(thresholdCount) thresholds broke")
            }
            if !incomplete.isEmpty {
                reasons.append(
                    "\(incomplete.count) \(incomplete.count == 1 ? "run" : "runs") did not complete ("
                        + incomplete.map { $0.statusReason ?? $0.status.rawValue }.joined(separator: "; ") + ")")
            }
            return ("fail", "Failed: " + reasons.joined(separator: ", "))
        }
        if thresholdCount > 0 { return ("pass", "Passed: every one of \(thresholdCount) thresholds held") }
        // No thresholds: nothing failed the run, but failed requests must not read as a pass.
        let failed = results.map(RunHeadline.init).filter { $0.failures.total > 0 }
        guard !failed.isEmpty else { return ("neutral", "Completed without a failed request; no thresholds were set") }
        return (
            "warn",
            "Completed, but requests failed ("
                + failed.map { "\($0.label) \(TerminalSummary.percent($0.failureRate))" }.joined(separator: ", ")
                + "); no thresholds were set to judge it"
        )
    }

    /// Several runs of one scenario (a matrix): a row each, and their latency spectra overlaid.
    private static func comparison(_ results: [RunResult]) -> String {
        let headlines = results.map(RunHeadline.init)
        let rows = zip(results, headlines).enumerated().map { index, pair -> [HTML.Cell] in
            let (result, headline) = pair
            let failing = headline.failures.total > 0
            return [
                HTML.Cell(html: ##"<a href="#run-\##(index + 1)">\##(Markup.escape(headline.label))</a>"##),
                .text(result.scenario.transport), .text(result.status.rawValue),
                .number(String(headline.requests)),
                .number(TerminalSummary.percent(headline.failureRate), cssClass: failing ? "bad" : nil),
                .text(TerminalSummary.breakdown(headline.failures)),
                .number(DurationText.rounded(headline.requestsPerSecond, places: 1)),
                .number(headline.latencyText(atPercentile: 50)), .number(headline.latencyText(atPercentile: 99)),
                .text(RunHeadline.thresholdVerdict(result.thresholds)),
            ]
        }
        var parts = [
            #"<section id="comparison">"#,
            "<h2>Side by side</h2>",
            #"<p class="note">Requests include session handshakes; latency is of successful steps.</p>"#,
            HTML.table(
                header: [
                    "variant", "transport", "status", "requests", "fail%", "failures", "req/s", "p50", "p99",
                    "thresholds",
                ],
                rows: rows),
        ]
        let explained = zip(results, headlines).compactMap { result, headline in
            result.scenario.variantAbout.map {
                "<li><b>\(Markup.escape(headline.label))</b>: \(Markup.escape($0))</li>"
            }
        }
        if !explained.isEmpty { parts.append("<ul>" + explained.joined() + "</ul>") }
        if let chart = ReportCharts.percentileSpectrum(
            title: "Latency by percentile, every successful step",
            series: headlines.map { ($0.label, $0.latency, nil) })
        {
            parts.append(#"<div class="charts"><div>\#(chart.render())</div></div>"#)
        }
        parts.append("</section>")
        return parts.joined(separator: "\n")
    }

    private static let stylesheet = """
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; margin: 0 auto;
               max-width: 1180px; padding: 16px 24px 40px; }
        h1 { font-size: 24px; margin: 8px 0; } h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
        h3 { font-size: 16px; margin: 20px 0 6px; }
        .verdict { font-size: 18px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 8px 0; }
        .pass { background: #e3f4e8; color: #14532d; } .fail { background: #fde4e1; color: #7f1d1d; }
        .neutral { background: #eef1f5; color: #1f2937; } .warn { background: #fff4d6; color: #713f12; }
        .broken { margin: 2px 14px; color: #7f1d1d; } .meta, .note, footer { color: #666; font-size: 13px; }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
        .card { border: 1px solid #ddd; border-radius: 6px; padding: 6px 12px; min-width: 96px; }
        .card b { display: block; font-size: 20px; } .card span { color: #666; font-size: 12px; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
        th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f6f6; } .num { text-align: right; font-variant-numeric: tabular-nums; }
        .bad { color: #b91c1c; font-weight: 600; } .ok { color: #15803d; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 20px; }
        svg.chart { width: 100%; max-width: 720px; height: auto; font-size: 11px; }
        summary { cursor: pointer; color: #444; font-size: 13px; }
        svg .title { font-size: 13px; font-weight: 600; } svg .tick, svg .legend { fill: #444; }
        svg .grid { stroke: #e8e8e8; } svg .axis { stroke: #999; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; }
        dt { color: #555; } dd { margin: 0; } code { font-size: 13px; }
        pre { background: #f6f6f6; padding: 8px; font-size: 12px; overflow-x: auto; }
        """
}
