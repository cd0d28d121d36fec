import MCPLoadCore

/// Checks the `abortOnFail` thresholds every second against the live totals, and drains the
/// run the moment one breaks: a load test need not keep hammering a server that has failed it.
enum AbortWatcher {
    /// Runs until cancelled or until a threshold breaks; returns why it drained the run, if it did.
    static func watch(_ thresholds: [Threshold], live: LiveCounters, control: RunControl) async -> String? {
        let clock = control.clock
        let started = clock.now
        while true {
            do {
                try await clock.sleep(for: .seconds(1))
            } catch {
                return nil
            }
            let elapsed = clock.now - started
            let counts = live.counts()
            for threshold in thresholds where elapsed >= threshold.abortAfter {
                guard let measured = counts.measure(threshold.metric, elapsedSeconds: elapsed.seconds),
                    !threshold.comparison.holds(measured, threshold.limit)
                else { continue }
                control.drain()
                return "threshold '\(threshold.expression)' failed during the run: measured "
                    + "\(ThresholdEvaluator.format(measured, unit: threshold.metric.unit)) after "
                    + "\(Int(elapsed.seconds.rounded(.down)))s"
            }
        }
    }
}

extension LiveCounters.Counts {
    /// A run-wide metric from the live totals (see ``ThresholdMetric/isLive``); nil when there is
    /// nothing to measure yet.
    func measure(_ metric: ThresholdMetric, elapsedSeconds: Double) -> Double? {
        let failures = failuresByClass.reduce(0, +)
        let successes = latencyBuckets.reduce(0, +)
        let neverSent = FailureClass.allCases.firstIndex(of: .notSent).map { failuresByClass[$0] } ?? 0
        switch metric {
        case .failureRate: return requests == 0 ? nil : Double(failures) / Double(requests)
        case .requestRate: return elapsedSeconds > 0 ? Double(requests) / elapsedSeconds : nil
        case .attempts: return Double(requests)
        case .successes: return Double(successes)
        case .failures(let failureClass, _, _):
            guard let failureClass else { return Double(failures) }
            return FailureClass.allCases.firstIndex(of: failureClass).map { Double(failuresByClass[$0]) }
        case .neverSent: return Double(neverSent)
        case .sentAndFailed: return Double(failures - neverSent)
        case .latency(let statistic, _):
            let percentile: Double =
                switch statistic {
                case .percentile(let value): value
                default: 100
                }
            return QuarterOctave.percentile(percentile, of: latencyBuckets.enumerated().map { ($0.offset, $0.element) })
        default:
            return nil
        }
    }
}
