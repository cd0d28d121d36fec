import MCPLoadCore

/// One run's part of the report, in the order a person asks: how much and how fast, did the
/// thresholds hold, which steps failed and how, over time, what leaked, could the harness keep up,
/// and what exactly was run.
struct HTMLRunSection {
    var result: RunResult
    var anchor: String
    var headed: Bool

    func render() -> String {
        var parts = [#"<section id="\#(anchor)">"#]
        if headed {
            let scenario = result.scenario
            parts.append("<h2>\(Markup.escape(scenario.variant ?? scenario.transport))</h2>")
            if let about = scenario.variantAbout { parts.append(#"<p class="note">\#(Markup.escape(about))</p>"#) }
        }
        parts.append(keyFigures())
        parts += thresholds()
        parts += steps()
        parts += charts()
        parts += failures()
        parts += leaks()
        parts += audit()
        parts += notes("Protocol traffic", TerminalSummary.traffic(result) + TerminalSummary.proxy(result))
        parts += notes("Open model", TerminalSummary.pacing(result))
        parts += notes("Shards", ShardSummary.render(result))
        parts += notes("Authentication", AuthSummary.render(result))
        parts += health()
        parts += configuration()
        parts.append("</section>")
        return parts.joined(separator: "\n")
    }

    private func keyFigures() -> String {
        let headline = RunHeadline(result)
        let scenario = result.scenario
        let cards: [(String, String, Bool)] = [
            (String(headline.requests), "requests", false),
            (DurationText.rounded(headline.requestsPerSecond, places: 1), "requests/s", false),
            (TerminalSummary.percent(headline.failureRate), "failed", headline.failures.total > 0),
            (headline.latencyText(atPercentile: 50), "p50", false),
            (headline.latencyText(atPercentile: 99), "p99", false),
            ("\(result.session.opened)", "sessions opened", result.session.setupFailures.total > 0),
        ]
        let bound =
            scenario.arrivals.map { "open model at \($0)" }
            ?? LoadSettings.describeBound(iterations: scenario.iterations, durationSeconds: scenario.durationSeconds)
        let line =
            "\(scenario.virtualClients) clients, \(bound), over \(scenario.transport)"
            + (scenario.topology.map { " (\($0))" } ?? "") + " → \(scenario.target); "
            + "\(result.status.rawValue)\(result.statusReason.map { " (\($0))" } ?? "") in "
            + "\(DurationText.rounded(result.durationSeconds, places: 2)) s"
        return #"<p>\#(Markup.escape(line))</p><div class="cards">"#
            + cards.map { value, label, bad in
                #"<div class="card"><b\#(bad ? #" class="bad""# : "")>\#(Markup.escape(value))</b><span>\#(label)</span></div>"#
            }.joined() + "</div>"
    }

    private func thresholds() -> [String] {
        guard !result.thresholds.isEmpty else { return [] }
        let rows = result.thresholds.map { outcome -> [HTML.Cell] in
            [
                HTML.Cell(html: "<code>\(Markup.escape(outcome.threshold))</code>"),
                .number(outcome.measuredText),
                .text(outcome.passed ? "pass" : "FAIL", cssClass: outcome.passed ? "ok" : "bad"),
            ]
        }
        let aborted = result.abortedByThreshold.map {
            [#"<p class="bad">The run was stopped early: \#(Markup.escape($0)) broke while it ran (abortOnFail).</p>"#]
        }
        return ["<h3>Thresholds</h3>", HTML.table(header: ["threshold", "measured", "verdict"], rows: rows)]
            + (aborted ?? [])
    }

    private func steps() -> [String] {
        let seconds = max(result.durationSeconds, 1e-9)
        func row(
            _ label: String, count: UInt64, ok: UInt64, failures: FailureTally, latency: LatencySummary,
            retries: UInt64
        ) -> [HTML.Cell] {
            let rate = count == 0 ? 0 : Double(failures.total) / Double(count)
            let latencies = [latency.p50, latency.p90, latency.p99, latency.p999, latency.max].map {
                HTML.Cell.number(latency.count == 0 ? "-" : DurationText.formatMicroseconds(Double($0)))
            }
            return [
                .text(label), .number(String(count)), .number(String(ok)),
                .number(TerminalSummary.percent(rate), cssClass: failures.total > 0 ? "bad" : nil),
                .text(TerminalSummary.breakdown(failures)),
            ] + latencies + [
                .number(String(retries)), .number(DurationText.rounded(Double(count) / seconds, places: 1)),
            ]
        }
        let setup = result.session
        var rows = [
            row(
                "session setup", count: setup.opened + setup.setupFailures.total, ok: setup.opened,
                failures: setup.setupFailures, latency: setup.setupLatency.summary, retries: 0)
        ]
        for step in result.steps {
            rows.append(
                row(
                    step.label, count: step.attempts, ok: step.successes, failures: step.failures,
                    latency: step.latency.summary, retries: step.retries))
        }
        return [
            "<h3>Steps</h3>",
            HTML.table(
                header: [
                    "step", "count", "ok", "fail%", "failures", "p50", "p90", "p99", "p99.9", "max", "retries", "req/s",
                ], rows: rows),
            #"<p class="note">\#(Markup.escape(TerminalSummary.totals(result).joined(separator: ". ")))</p>"#,
        ]
    }

    private func charts() -> [String] {
        var charts: [SVGChart] = []
        let corrected = result.pacing != nil
        if let spectrum = ReportCharts.percentileSpectrum(
            title: corrected ? "Latency by percentile, from when each iteration was due" : "Latency by percentile",
            series: result.steps.map { ($0.label, $0.latency, $0.uncorrectedLatency) })
        {
            charts.append(spectrum)
        }
        if let recorded = result.timeline {
            let timeline = ReportCharts.wholeSeconds(recorded, runSeconds: result.durationSeconds)
            charts += [
                ReportCharts.throughput(timeline), ReportCharts.latencyOverTime(timeline),
                ReportCharts.openSessions(timeline),
            ].compactMap { $0 }
        }
        if let resources = result.serverResources, let memory = ReportCharts.serverMemory(resources) {
            charts.append(memory)
        }
        guard !charts.isEmpty else { return [] }
        return ["<h3>Charts</h3>", #"<div class="charts">"#] + charts.map { "<div>\($0.render())</div>" } + ["</div>"]
    }

    /// Every failure class with its count, and the distinct messages seen (already redacted).
    private func failures() -> [String] {
        var rows: [[HTML.Cell]] = []
        let labelled = [("session setup", result.session.setupFailures)] + result.steps.map { ($0.label, $0.failures) }
        for (label, tally) in labelled {
            for example in tally.examples {
                rows.append([
                    .text(label), .text(example.failureClass.rawValue), .number(String(example.count)),
                    .text(example.message),
                ])
            }
        }
        guard !rows.isEmpty else { return [] }
        var parts = [
            "<h3>Failures</h3>",
            HTML.table(header: ["where", "class", "times", "message (first distinct ones)"], rows: rows),
        ]
        if let tail = result.servers.stderrTails.first {
            parts.append(
                "<p>Server stderr, client \(tail.virtualClient), last lines:</p><pre>"
                    + Markup.escape(tail.lines.suffix(8).joined(separator: "\n")) + "</pre>")
        }
        return parts
    }

    private func leaks() -> [String] {
        guard let leaks = result.leaks else { return [] }
        guard !leaks.isEmpty else {
            return ["<h3>Leaks</h3>", "<p>None found: the detectors ran on every request and answer.</p>"]
        }
        // With identities, a tenant's canary in another tenant's answer has a column of its own.
        let identities = result.auth != nil
        let rows = LeakDetector.reportOrder(leaks.detectors.keys).compactMap { detector -> [HTML.Cell]? in
            guard let counts = leaks.detectors[detector], counts.exposed + counts.retransmitted > 0 else { return nil }
            var row: [HTML.Cell] = [
                .text(detector.rawValue), .number(String(counts.exposed)), .number(String(counts.uniqueValues)),
                .number(String(counts.retransmitted)),
                .number(String(counts.crossSession), cssClass: counts.crossSession > 0 ? "bad" : nil),
            ]
            if identities {
                row.append(.number(String(counts.crossIdentity), cssClass: counts.crossIdentity > 0 ? "bad" : nil))
            }
            return row + [
                .number("\(DurationText.rounded(counts.amplification, places: 1))x"),
                .text(counts.examples.joined(separator: ", ")),
            ]
        }
        let header =
            ["detector", "exposed", "unique", "retransmitted", "cross-session"] + (identities ? ["cross-identity"] : [])
            + ["amplification", "e.g."]
        return [
            "<h3>Leaks</h3>",
            #"<p class="note">Sensitive values on the wire. Previews only: no value appears here whole.</p>"#,
            HTML.table(header: header, rows: rows),
        ]
    }

    private func audit() -> [String] {
        guard let audit = result.audit, let summary = AuditSummary.render(audit).first else { return [] }
        var parts = ["<h3>Tool surface</h3>", "<p>\(Markup.escape(summary))</p>"]
        guard !audit.findings.isEmpty else {
            return parts + [
                "<p>No findings: no poisoning signals, loose schemas, missing annotations or rug pulls.</p>"
            ]
        }
        let rows = audit.findings.map { finding -> [HTML.Cell] in
            [
                .text(finding.tool),
                .text(
                    finding.rule.rawValue,
                    cssClass: finding.rule.category == .poisoning || finding.rule == .rugPull ? "bad" : nil),
                .text(finding.detail),
            ]
        }
        parts.append(HTML.table(header: ["tool", "rule", "what"], rows: rows))
        return parts
    }

    private func health() -> [String] {
        var parts = notes("Harness and servers", TerminalSummary.resources(result))
        if let processes = result.serverResources?.perProcess, processes.count > 1 {
            parts.append("<details><summary>Server processes with the largest memory (\(processes.count))</summary>")
            parts.append(
                HTML.table(
                    header: ["server pid", "peak RSS", "CPU"],
                    rows: processes.map {
                        [
                            .text(String($0.pid)), .number(ByteSizeText.format($0.peakRSSBytes)),
                            .number("\(DurationText.rounded($0.cpuSeconds, places: 2))s"),
                        ]
                    }))
            parts.append("</details>")
        }
        return parts
    }

    private func configuration() -> [String] {
        let scenario = result.scenario
        var pairs: [(String, String)] = [
            ("scenario", scenario.name + (scenario.file.map { " (\($0))" } ?? "")),
            ("target", scenario.target),
            ("transport", scenario.transport),
            ("protocol version", scenario.protocolVersion),
            ("virtual clients", String(scenario.virtualClients)),
        ]
        if let topology = scenario.topology { pairs.append(("topology", topology)) }
        if let arrivals = scenario.arrivals { pairs.append(("arrivals", arrivals)) }
        if let iterations = scenario.iterations { pairs.append(("iterations per client", String(iterations))) }
        if let seconds = scenario.durationSeconds {
            pairs.append(("duration", "\(DurationText.rounded(seconds, places: 1)) s"))
        }
        pairs += [
            ("ramp-up", "\(DurationText.rounded(scenario.rampUpSeconds, places: 1)) s"),
            ("think time", "\(DurationText.rounded(scenario.thinkSeconds, places: 3)) s"),
            ("run", result.runID),
        ]
        return ["<h3>Configuration</h3>", HTML.definitions(pairs)]
    }

    private func notes(_ title: String, _ lines: [String]) -> [String] {
        guard !lines.isEmpty else { return [] }
        return [
            "<h3>\(Markup.escape(title))</h3>",
            "<ul>" + lines.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>",
        ]
    }
}
