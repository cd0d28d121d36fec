import MCPLoadCore

/// The summary printed at the end of a run: one row per step, then what a person needs to act on.
package enum TerminalSummary {
    package static func render(_ result: RunResult) -> String {
        var out: [String] = []
        let scenario = result.scenario
        let bound =
            scenario.arrivals.map { "open model at \($0)" }
            ?? LoadSettings.describeBound(iterations: scenario.iterations, durationSeconds: scenario.durationSeconds)
        out.append(
            "\(scenario.name)\(scenario.variant.map { " [\($0)]" } ?? ""): \(scenario.virtualClients) clients, \(bound), "
                + "over \(scenario.transport)\(scenario.topology.map { ", \($0)" } ?? "") → \(scenario.target)"
        )
        out.append(
            "status: \(result.status.rawValue)\(result.statusReason.map { " (\($0))" } ?? ""), "
                + "\(DurationText.rounded(result.durationSeconds, places: 2))s, run \(result.runID)")
        out.append(contentsOf: ShardSummary.render(result))
        if let saturation = result.harness?.saturation, let headline = result.harness?.headline {
            out.append("\(headline): figures unreliable (\(saturation))")
        }
        out.append("")
        out.append(stepTable(result))
        out.append("")
        out.append(contentsOf: totals(result))
        out.append(contentsOf: traffic(result))
        if let timeline = result.timeline {
            let lines = TimelineSparkline.render(timeline)
            if !lines.isEmpty { out += [""] + lines }
        }
        out.append(contentsOf: leaks(result))
        if let audit = result.audit { out += [""] + AuditSummary.render(audit) }
        out.append(contentsOf: pacing(result))
        out.append(contentsOf: proxy(result))
        out.append(contentsOf: ReplicaSummary.render(result))
        let auth = AuthSummary.render(result)
        if !auth.isEmpty { out += [""] + auth }
        out.append(contentsOf: resources(result))
        out.append(contentsOf: thresholds(result))
        out.append(contentsOf: examples(result))
        out.append(contentsOf: stderr(result))
        return out.joined(separator: "\n")
    }

    static func stepTable(_ result: RunResult) -> String {
        var table = TextTable(header: [
            "step", "count", "ok", "fail%", "unsent", "failures", "p50", "p90", "p99", "p99.9", "max", "req/s",
        ])
        let seconds = max(result.durationSeconds, 1e-9)
        let setup = result.session
        table.rows.append(
            latencyRow(
                "session setup", count: setup.opened + setup.setupFailures.total, ok: setup.opened,
                failures: setup.setupFailures, latency: setup.setupLatency.summary, seconds: seconds))
        for step in result.steps {
            table.rows.append(
                latencyRow(
                    step.label, count: step.attempts, ok: step.successes, failures: step.failures,
                    latency: step.latency.summary, seconds: seconds))
        }
        let totals = result.totals
        table.rows.append([
            "all requests", String(totals.attempts), String(totals.successes), percent(totals.failureRate),
            String(totals.neverSent), breakdown(totals.failures), "", "", "", "", "",
            DurationText.rounded(totals.requestsPerSecond, places: 1),
        ])
        return table.render()
    }

    static func latencyRow(
        _ label: String, count: UInt64, ok: UInt64, failures: FailureTally, latency: LatencySummary, seconds: Double
    ) -> [String] {
        let rate = count == 0 ? 0 : Double(failures.total) / Double(count)
        let cells = [latency.p50, latency.p90, latency.p99, latency.p999, latency.max].map { micros in
            latency.count == 0 ? "-" : DurationText.formatMicroseconds(Double(micros))
        }
        return [label, String(count), String(ok), percent(rate), String(failures.notSent), breakdown(failures)]
            + cells + [
                DurationText.rounded(Double(count) / seconds, places: 1)
            ]
    }

    /// `timeout 3, jsonrpc_error(-32603) 2`: every class with its codes.
    package static func breakdown(_ failures: FailureTally) -> String {
        let parts = failures.byClass.keys.sorted().map { failureClass -> String in
            let count = failures[failureClass]
            guard let codes = failures.byCode[failureClass], !codes.isEmpty else {
                return "\(failureClass.rawValue) \(count)"
            }
            let detail = codes.keys.sorted().map { "\($0)×\(codes[$0] ?? 0)" }.joined(separator: ",")
            return "\(failureClass.rawValue)(\(detail)) \(count)"
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    package static func percent(_ fraction: Double) -> String {
        "\(DurationText.rounded(fraction * 100, places: fraction > 0 && fraction < 0.001 ? 3 : 1))%"
    }

    package static func totals(_ result: RunResult) -> [String] {
        let totals = result.totals
        return [
            "requests: \(totals.attempts) sent or attempted, \(totals.successes) ok; "
                + "never sent \(totals.neverSent), sent and failed \(totals.sentAndFailed)",
            "sessions: \(result.session.opened) opened, \(result.session.reopened) re-opened, "
                + (result.session.expired > 0 ? "\(result.session.expired) expired by the server, " : "")
                + "\(result.session.setupFailures.total) failed to open; "
                + "iterations: \(result.iterations.completed) completed, \(result.iterations.abandoned) abandoned",
        ]
    }

    static func traffic(_ result: RunResult) -> [String] {
        let traffic = result.protocolTraffic
        var lines: [String] = []
        let retries = result.steps.reduce(UInt64(0)) { $0 + $1.retries }
        if retries > 0 {
            let succeeded = result.steps.reduce(UInt64(0)) { $0 + $1.retrySuccesses }
            let resent = result.steps.reduce(UInt64(0)) { $0 + $1.bytesResent }
            lines.append(
                "retries: \(retries) attempts were retries (counted above), \(succeeded) of them succeeded; "
                    + "\(resent) bytes sent again")
        }
        if !traffic.notifications.isEmpty {
            lines.append("notifications from servers: " + counts(traffic.notifications))
        }
        if !traffic.serverRequests.isEmpty {
            lines.append("server requests answered: " + counts(traffic.serverRequests))
        }
        if traffic.listeningStreams > 0 || traffic.listeningStreamsRefused > 0 {
            lines.append(
                "listening streams (GET): \(traffic.listeningStreams) opened, "
                    + "\(traffic.listeningStreamsRefused) refused by the server (405)")
        }
        if traffic.resumedStreams > 0 {
            lines.append("answer streams resumed after the server closed them early: \(traffic.resumedStreams)")
        }
        if traffic.misroutedResponses > 0 {
            lines.append(
                "cross-session: \(traffic.misroutedResponses) misrouted answers (ids this session never sent: "
                    + "another session's answers), each failed the request waiting longest as protocol")
        }
        if traffic.unmatchedResponses > 0 || traffic.invalidMessages > 0 {
            lines.append(
                "stray messages: \(traffic.unmatchedResponses) late or repeated answers to requests no longer waiting, "
                    + "\(traffic.invalidMessages) invalid lines with nothing in flight")
        }
        return lines
    }

    /// Sensitive values on the wire, per detector; previews only, never the values.
    static func leaks(_ result: RunResult) -> [String] {
        guard let leaks = result.leaks else { return [] }
        guard !leaks.isEmpty else { return ["", "leaks: none found (detectors ran on every request and answer)"] }
        // With identities, a tenant's canary in another tenant's answer has a column of its own.
        let identities = result.auth != nil
        var table = TextTable(
            header: ["detector", "exposed", "unique", "retransmitted", "cross-session"]
                + (identities ? ["cross-identity"] : []) + ["amplification", "e.g."])
        for detector in LeakDetector.reportOrder(leaks.detectors.keys) {
            guard let counts = leaks.detectors[detector], counts.exposed + counts.retransmitted > 0 else { continue }
            table.rows.append(
                [
                    detector.rawValue, String(counts.exposed), String(counts.uniqueValues),
                    String(counts.retransmitted), String(counts.crossSession),
                ] + (identities ? [String(counts.crossIdentity)] : []) + [
                    "\(DurationText.rounded(counts.amplification, places: 1))x",
                    counts.examples.joined(separator: ", "),
                ])
        }
        return ["", "leaks (sensitive values on the wire; previews only):", table.render()]
    }

    /// The open model: did the schedule hold, and how do latencies look from the send?
    static func pacing(_ result: RunResult) -> [String] {
        guard let pacing = result.pacing else { return [] }
        func micros(_ histogram: LatencyHistogram, _ percentile: Double) -> String {
            DurationText.formatMicroseconds(Double(histogram.microseconds(atPercentile: percentile)))
        }
        var lines = [
            "open model: target \(DurationText.rounded(pacing.targetRate, places: 1))/s, achieved "
                + "\(DurationText.rounded(pacing.achievedRate, places: 1))/s; \(pacing.dispatched) iterations due, "
                + "\(pacing.dropped) dropped (no free client among \(result.scenario.virtualClients)); start lag p50 "
                + "\(micros(pacing.startLag, 50)), p99 \(micros(pacing.startLag, 99))",
            "  latencies above count from when each iteration was due; from the send instead:",
        ]
        for step in result.steps {
            guard let uncorrected = step.uncorrectedLatency, uncorrected.count > 0 else { continue }
            lines.append(
                "  \(step.label): p50 \(micros(uncorrected, 50)), p99 \(micros(uncorrected, 99)), "
                    + "p99.9 \(micros(uncorrected, 99.9))")
        }
        return lines
    }

    /// The server's own count of its sessions: what it held at the end, and how that grew with
    /// the sessions closed.
    static func serverSessions(_ sessions: ServerSessionCount) -> String {
        var line = "server sessions (\(sessions.metric), its own count): "
        if let last = sessions.last, let peak = sessions.peak {
            line += "\(DurationText.rounded(last, places: 0)) at the end, peak \(DurationText.rounded(peak, places: 0))"
            if let held = sessions.heldPerThousandClosed {
                line += "; \(held < 0 ? "" : "+")\(DurationText.rounded(held, places: 0)) held per 1,000 closed"
            }
        } else {
            line += "no reading"
        }
        if sessions.failedReadings > 0 {
            let total = sessions.readings + sessions.failedReadings
            line +=
                " (\(sessions.failedReadings) of \(total) readings failed\(sessions.firstFailure.map { ": \($0)" } ?? ""))"
        }
        return line
    }

    /// What the servers cost, and what mcpload itself used: the figures that tell a slow server
    /// from a saturated harness.
    static func resources(_ result: RunResult) -> [String] {
        var lines: [String] = []
        if let servers = result.serverResources, servers.processes > 0 {
            let count = servers.processes == 1 ? "1 process" : "\(servers.processes) processes"
            lines.append(
                "servers: \(count), peak RSS \(ByteSizeText.format(servers.peakProcessRSSBytes)) (largest one), "
                    + "\(ByteSizeText.format(servers.peakTotalRSSBytes)) (all at once), "
                    + "CPU \(DurationText.rounded(servers.cpuSeconds, places: 2))s in all")
            if let perThousand = servers.rssBytesPerThousandSessions, let closed = servers.sessionsClosed {
                let sign = perThousand < 0 ? "-" : "+"
                lines.append(
                    "server memory per 1,000 sessions closed: \(sign)"
                        + "\(ByteSizeText.format(UInt64(clampingDouble: abs(perThousand)))) "
                        + "(a line fitted over the run, \(closed) sessions closed)")
            }
        }
        if let sessions = result.serverSessions { lines.append(serverSessions(sessions)) }
        if let harness = result.harness {
            let lag = harness.schedulingLag
            let percent = Int((harness.cpuShare * 100).rounded())
            lines.append(
                "harness: CPU \(percent)% of \(harness.cores) cores; scheduling lag p50 "
                    + "\(DurationText.formatMicroseconds(Double(lag.microseconds(atPercentile: 50)))), p99 "
                    + "\(DurationText.formatMicroseconds(Double(lag.microseconds(atPercentile: 99)))), max "
                    + "\(DurationText.formatMicroseconds(Double(lag.maxMicroseconds)))"
                    + (harness.saturation == nil ? "" : " (saturated)"))
        }
        return lines
    }

    /// Every threshold with what was measured; the verdict first, so a CI log shows it at a glance.
    static func thresholds(_ result: RunResult) -> [String] {
        guard !result.thresholds.isEmpty else { return [] }
        let failed = result.thresholds.filter { !$0.passed }.count
        let verdict =
            failed == 0
            ? "thresholds: all \(result.thresholds.count) passed"
            : "thresholds: \(failed) of \(result.thresholds.count) FAILED"
        return ["", verdict]
            + result.thresholds.map { outcome in
                "  \(outcome.passed ? "pass" : "FAIL")  \(outcome.threshold)  (measured \(outcome.measuredText))"
            }
    }

    /// The fan-in proxy's view: how often clients' ids collided and answers had to be guessed.
    static func proxy(_ result: RunResult) -> [String] {
        guard let proxy = result.proxy else { return [] }
        let servers = proxy.serverProcesses == 1 ? "1 server process" : "\(proxy.serverProcesses) server processes"
        var lines = [
            "fan-in proxy: \(servers), \(proxy.clientSessions) client sessions, "
                + "\(proxy.requestsForwarded) requests forwarded; initialize: \(proxy.initializeForwarded) reached "
                + "the server, \(proxy.initializeIntercepted) answered from the cached result"
        ]
        if proxy.idCollisions > 0 || proxy.ambiguousDeliveries > 0 {
            lines.append(
                "  id collisions: \(proxy.idCollisions) requests reused an id another client had in flight and "
                    + "took over its route; \(proxy.ambiguousDeliveries) answers delivered along a taken-over route")
        }
        if proxy.unmatchedResponses > 0 || proxy.lateResponses > 0 || proxy.duplicateAnswersDropped > 0 {
            lines.append(
                "  dropped: \(proxy.unmatchedResponses) answers no client waited for, \(proxy.lateResponses) after "
                    + "their client left, \(proxy.duplicateAnswersDropped) duplicate client answers to server requests")
        }
        if proxy.unaddressedMessages > 0 {
            lines.append(
                "  \(proxy.unaddressedMessages) server messages named no client (notifications, server requests): "
                    + "\(proxy.unaddressedCopies) copies delivered")
        }
        return lines
    }

    static func counts(_ values: [String: UInt64]) -> String {
        values.keys.sorted().map { "\($0) \(values[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func examples(_ result: RunResult) -> [String] {
        var examples: [(String, FailureExample)] = result.session.setupFailures.examples.map { ("session setup", $0) }
        for step in result.steps { examples += step.failures.examples.map { (step.label, $0) } }
        guard !examples.isEmpty else { return [] }
        return ["", "failure examples:"]
            + examples.prefix(10).map { label, example in
                "  \(label): [\(example.failureClass.rawValue)] \(example.message) (×\(example.count))"
            }
    }

    static func stderr(_ result: RunResult) -> [String] {
        guard result.totals.failures.total > 0 || result.session.setupFailures.total > 0,
            let tail = result.servers.stderrTails.first
        else { return [] }
        return ["", "server stderr (client \(tail.virtualClient), last lines):"]
            + tail.lines.suffix(5).map { "  \($0)" }
    }
}
