import MCPLoadCore

/// The few figures that sum a run up when runs are set side by side: every request counted, the
/// handshakes too (a session that never opened is the commonest failure under fan-in, and its
/// steps were never attempted), and the latency of all successful steps together.
struct RunHeadline {
    var label: String
    var requests: UInt64
    var failures: FailureTally
    var latency: LatencyHistogram
    var requestsPerSecond: Double

    init(_ result: RunResult) {
        label = result.scenario.variant ?? result.scenario.transport
        latency = LatencyHistogram()
        for step in result.steps { latency.merge(step.latency) }
        let session = result.session
        failures = result.totals.failures
        failures.merge(session.setupFailures)
        requests = result.totals.attempts + session.opened + session.setupFailures.total
        requestsPerSecond = Double(requests) / max(result.durationSeconds, 1e-9)
    }

    var failureRate: Double { requests == 0 ? 0 : Double(failures.total) / Double(requests) }

    /// The latency at `percentile`, formatted; `-` without successes.
    func latencyText(atPercentile percentile: Double) -> String {
        latency.count == 0
            ? "-" : DurationText.formatMicroseconds(Double(latency.microseconds(atPercentile: percentile)))
    }

    /// `3/3 passed`, `1 of 3 FAILED`, or `-` when the run had none.
    static func thresholdVerdict(_ outcomes: [ThresholdOutcome]) -> String {
        guard !outcomes.isEmpty else { return "-" }
        let failed = outcomes.filter { !$0.passed }.count
        return failed == 0 ? "\(outcomes.count)/\(outcomes.count) passed" : "\(failed) of \(outcomes.count) FAILED"
    }
}
