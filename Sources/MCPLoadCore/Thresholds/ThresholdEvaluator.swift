/// Checks thresholds against a finished run's result.
package enum ThresholdEvaluator {
    package static func evaluate(_ thresholds: [Threshold], on result: RunResult) -> [ThresholdOutcome] {
        thresholds.map { threshold in
            guard let measured = measure(threshold.metric, in: result) else {
                return ThresholdOutcome(
                    threshold: threshold.expression, measured: nil, measuredText: "no data", passed: false)
            }
            return ThresholdOutcome(
                threshold: threshold.expression, measured: measured,
                measuredText: format(measured, unit: threshold.metric.unit),
                passed: threshold.comparison.holds(measured, threshold.limit))
        }
    }

    /// The metric's value in the threshold's unit; nil when the run has nothing to measure it on
    /// (a latency with no successful attempt, a step that never ran).
    static func measure(_ metric: ThresholdMetric, in result: RunResult) -> Double? {
        switch metric {
        case .latency(let statistic, let scope):
            guard let histogram = latencies(scope, in: result), histogram.count > 0 else { return nil }
            switch statistic {
            case .percentile(let percentile): return Double(histogram.microseconds(atPercentile: percentile))
            case .mean: return histogram.meanMicroseconds
            case .max: return Double(histogram.maxMicroseconds)
            case .min: return Double(histogram.minMicroseconds)
            }
        case .failureRate(let step):
            let (attempts, failures) = counts(step, in: result) { ($0.attempts, $0.failures.total) }
            return attempts == 0 ? nil : Double(failures) / Double(attempts)
        case .requestRate(let step):
            let attempts = counts(step, in: result) { ($0.attempts, 0) }.0
            return Double(attempts) / max(result.durationSeconds, 1e-9)
        case .failures(let failureClass, let code, let step):
            return Double(
                counts(step, in: result) { step in (failureCount(step.failures, failureClass, code), 0) }.0)
        case .attempts(let step): return Double(counts(step, in: result) { ($0.attempts, 0) }.0)
        case .successes(let step): return Double(counts(step, in: result) { ($0.successes, 0) }.0)
        case .neverSent(let step): return Double(counts(step, in: result) { ($0.failures.notSent, 0) }.0)
        case .sentAndFailed(let step):
            return Double(counts(step, in: result) { ($0.failures.total - $0.failures.notSent, 0) }.0)
        case .sessionsFailed: return Double(result.session.setupFailures.total)
        case .sessionsExpired: return Double(result.session.expired)
        case .dropped: return Double(result.iterations.dropped)
        case .misrouted: return Double(result.protocolTraffic.misroutedResponses)
        // No churn measured (too few sessions closed, or no server sampled): no data, not zero.
        case .serverMemoryPerThousandSessions: return result.serverResources?.rssBytesPerThousandSessions
        case .serverSessionsHeldPerThousand: return result.serverSessions?.heldPerThousandClosed
        case .audit(let counter):
            // No listing, no audit: a threshold on it has no data rather than a reassuring zero.
            guard let audit = result.audit else { return nil }
            switch counter {
            case .findings: return Double(audit.findings.count)
            case .poisoning: return Double(audit.findings(in: .poisoning).count)
            case .schema: return Double(audit.findings(in: .schema).count)
            case .annotations: return Double(audit.findings(in: .annotations).count)
            case .rugPull: return Double(audit.findings(in: .rugPull).count)
            case .tools: return Double(audit.tools.count)
            case .bytesPerSession: return Double(audit.bytesPerSession)
            }
        case .auth(let counter):
            // No identities, no figures: a threshold on them has no data rather than a zero.
            guard let auth = result.auth else { return nil }
            switch counter {
            case .tokenRequests: return Double(auth.tokenRequests)
            case .tokenFailures: return Double(auth.tokenFailureCount)
            case .refreshes: return Double(auth.refreshes)
            case .rejected: return Double(auth.rejected)
            case .insufficientScope: return Double(auth.insufficientScope)
            case .retries: return Double(auth.retriesAfterReauth)
            case .retired: return Double(auth.identitiesRetired)
            }
        case .leaks(let detector, let counter):
            guard let leaks = result.leaks else { return nil }
            let counts = leaks.detectors.filter { detector == nil || $0.key == detector }.values
            return Double(
                counts.reduce(UInt64(0)) { total, entry in
                    switch counter {
                    case .exposed: total + entry.exposed
                    case .retransmitted: total + entry.retransmitted
                    case .crossSession: total + entry.crossSession
                    case .crossIdentity: total + entry.crossIdentity
                    case .unique: total + entry.uniqueValues
                    }
                })
        }
    }

    private static func latencies(_ scope: LatencyScope, in result: RunResult) -> LatencyHistogram? {
        switch scope {
        case .sessionSetup: return result.session.setupLatency
        case .tokenEndpoint: return result.auth?.tokenLatency
        case .step(let label): return result.steps.first { $0.label == label }?.latency
        case .allSteps:
            var merged = LatencyHistogram()
            for step in result.steps { merged.merge(step.latency) }
            return merged
        }
    }

    /// Two counts summed over the steps `label` selects (every step when nil).
    private static func counts(
        _ label: String?, in result: RunResult, _ pick: (StepStatistics) -> (UInt64, UInt64)
    ) -> (UInt64, UInt64) {
        result.steps.filter { label == nil || $0.label == label }.reduce((0, 0)) { sum, step in
            let (first, second) = pick(step)
            return (sum.0 + first, sum.1 + second)
        }
    }

    private static func failureCount(_ tally: FailureTally, _ failureClass: FailureClass?, _ code: Int64?) -> UInt64 {
        guard let failureClass else { return tally.total }
        guard let code else { return tally[failureClass] }
        return tally.byCode[failureClass]?[String(code)] ?? 0
    }

    /// A value in a metric's unit as a person reads it: `312ms`, `0.40%`, `210.5/s`, `3`.
    package static func format(_ value: Double, unit: ThresholdMetric.Unit) -> String {
        switch unit {
        case .duration: DurationText.formatMicroseconds(value)
        case .fraction: "\(DurationText.rounded(value * 100, places: value > 0 && value < 0.001 ? 3 : 2))%"
        case .perSecond: "\(DurationText.rounded(value, places: 1))/s"
        case .count: String(UInt64(clampingDouble: value))
        case .bytes: (value < 0 ? "-" : "") + ByteSizeText.format(UInt64(clampingDouble: abs(value)))
        }
    }
}

/// One threshold's verdict, as result.json keeps it.
package struct ThresholdOutcome: Sendable, Hashable, Codable {
    /// The expression as written.
    package var threshold: String
    /// The measured value in the threshold's unit (microseconds, fraction, per second, count);
    /// absent when there was nothing to measure, which fails the threshold.
    package var measured: Double?
    /// The measured value as a person reads it: `312ms`, `0.40%`, `210.5/s`, `3`.
    package var measuredText: String
    package var passed: Bool

    package init(threshold: String, measured: Double?, measuredText: String, passed: Bool) {
        self.threshold = threshold
        self.measured = measured
        self.measuredText = measuredText
        self.passed = passed
    }
}
