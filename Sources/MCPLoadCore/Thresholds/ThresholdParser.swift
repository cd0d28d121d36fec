/// Parses threshold expressions: `METRIC[(STEP)] OP VALUE[UNIT]`.
///
/// Metrics: `failure_rate`, `p50` `p90` `p99` `p99.9` (any `pN`), `mean`, `max`, `min`, `rate`,
/// `requests`, `successes`, `never_sent`, `sent_and_failed`, `errors`, `errors.CLASS`,
/// `errors.CLASS.CODE`, `sessions.failed`, `sessions.expired`, `dropped`. A step in parentheses
/// narrows a metric to that step's label; `setup` (or `session setup`) is the handshake.
/// Operators: `<` `<=` `>` `>=` `==` `!=`. Values carry the metric's unit: a duration (`250ms`,
/// `1.5s`, `800us`) for latencies, a percentage (`1%`) for failure rates, `/s` (optional) for
/// rates, a whole number for counts.
package struct ThresholdParser: Sendable {
    /// The request steps' labels a threshold may name.
    package let stepLabels: [String]
    /// The leak detectors `leaks.DETECTOR.COUNTER` may name: the built-in ones and the scenario's own.
    package let leakDetectors: [LeakDetector]

    package init(stepLabels: [String], leakDetectors: [LeakDetector] = LeakDetector.allCases) {
        self.stepLabels = stepLabels
        self.leakDetectors = leakDetectors
    }

    /// What is wrong with an expression, phrased for the user.
    package struct SyntaxError: Error, Sendable, Hashable {
        package var message: String
    }

    package func parse(_ text: String) throws(SyntaxError) -> Threshold {
        let expression = text.trimmingWhitespace()
        guard let (comparison, range) = Self.findOperator(in: expression) else {
            throw SyntaxError(message: "no comparison; write METRIC OP VALUE, e.g. p99(call echo) < 250ms")
        }
        let left = expression[..<range.lowerBound].trimmingWhitespace()
        let right = expression[range.upperBound...].trimmingWhitespace()
        let metric = try parseMetric(left)
        let limit = try Self.parseLimit(right, unit: metric.unit, metricName: left)
        return Threshold(expression: expression, metric: metric, comparison: comparison, limit: limit)
    }

    /// The first operator, two-character ones before their one-character prefixes.
    private static func findOperator(in text: String) -> (Threshold.Comparison, Range<String.Index>)? {
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            for comparison in [Threshold.Comparison.atMost, .atLeast, .equal, .notEqual, .lessThan, .greaterThan]
            where rest.hasPrefix(comparison.rawValue) {
                return (comparison, index..<text.index(index, offsetBy: comparison.rawValue.count))
            }
            index = text.index(after: index)
        }
        return nil
    }

    // MARK: Metric

    func parseMetric(_ text: String) throws(SyntaxError) -> ThresholdMetric {
        var name = text
        var step: String?
        if let open = text.firstIndex(of: "(") {
            guard text.hasSuffix(")") else {
                throw SyntaxError(message: "'\(text)': a step goes in parentheses: p99(call echo)")
            }
            name = text[..<open].trimmingWhitespace()
            step = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
                .trimmingWhitespace()
        }
        guard !name.isEmpty else { throw SyntaxError(message: "a metric is missing before the comparison") }
        if let statistic = Self.latencyStatistic(name) {
            return .latency(statistic, of: try latencyScope(step))
        }
        let label = try stepLabel(step)
        switch name {
        case "failure_rate": return .failureRate(step: label)
        case "rate": return .requestRate(step: label)
        case "requests": return .attempts(step: label)
        case "successes": return .successes(step: label)
        case "never_sent": return .neverSent(step: label)
        case "sent_and_failed": return .sentAndFailed(step: label)
        case "errors": return .failures(nil, code: nil, step: label)
        case "sessions.failed", "sessions.expired", "dropped", "misrouted", "server.rss_per_1k_sessions",
            "server.sessions_held_per_1k":
            if step != nil { throw SyntaxError(message: "'\(name)' is about the whole run; it takes no step") }
            switch name {
            case "dropped": return .dropped
            case "server.rss_per_1k_sessions": return .serverMemoryPerThousandSessions
            case "server.sessions_held_per_1k": return .serverSessionsHeldPerThousand
            case "misrouted": return .misrouted
            case "sessions.failed": return .sessionsFailed
            default: return .sessionsExpired
            }
        default:
            if name.hasPrefix("errors.") { return try failures(String(name.dropFirst("errors.".count)), step: label) }
            if name.hasPrefix("leaks.") {
                if step != nil { throw SyntaxError(message: "'\(name)' is about the whole run; it takes no step") }
                return try leaks(String(name.dropFirst("leaks.".count)))
            }
            if name.hasPrefix("auth.") {
                if step != nil { throw SyntaxError(message: "'\(name)' is about the whole run; it takes no step") }
                guard let counter = ThresholdMetric.AuthCounter(rawValue: String(name.dropFirst("auth.".count))) else {
                    let counters = ThresholdMetric.AuthCounter.allCases.map(\.rawValue).joined(separator: ", ")
                    throw SyntaxError(message: "unknown auth figure '\(name)'; use auth. and one of: \(counters)")
                }
                return .auth(counter)
            }
            if name.hasPrefix("audit.") {
                if step != nil { throw SyntaxError(message: "'\(name)' is about the whole run; it takes no step") }
                guard let counter = ThresholdMetric.AuditCounter(rawValue: String(name.dropFirst("audit.".count)))
                else {
                    let counters = ThresholdMetric.AuditCounter.allCases.map(\.rawValue).joined(separator: ", ")
                    throw SyntaxError(message: "unknown audit figure '\(name)'; use audit. and one of: \(counters)")
                }
                return .audit(counter)
            }
            throw SyntaxError(message: "unknown metric '\(name)'; use \(Self.metricNames)")
        }
    }

    static let metricNames =
        "failure_rate, p50, p90, p99, p99.9, mean, max, min, rate, requests, successes, never_sent, "
        + "sent_and_failed, errors, errors.CLASS, errors.CLASS.CODE, sessions.failed, sessions.expired, dropped, misrouted, "
        + "server.rss_per_1k_sessions, server.sessions_held_per_1k, "
        + "leaks.COUNTER, leaks.DETECTOR.COUNTER, audit.FIGURE, auth.FIGURE, p99(token)"

    /// `leaks.cross_session`, `leaks.email.exposed`.
    private func leaks(_ text: String) throws(SyntaxError) -> ThresholdMetric {
        let parts = text.split(separator: ".").map(String.init)
        let counters = ThresholdMetric.LeakCounter.allCases.map(\.rawValue).joined(separator: ", ")
        guard let last = parts.last, let counter = ThresholdMetric.LeakCounter(rawValue: last), parts.count <= 2 else {
            throw SyntaxError(message: "write leaks.COUNTER or leaks.DETECTOR.COUNTER; counters: \(counters)")
        }
        guard parts.count == 2 else { return .leaks(nil, counter) }
        guard let detector = leakDetectors.first(where: { $0.rawValue == parts[0] }) else {
            let names = leakDetectors.map(\.rawValue).joined(separator: ", ")
            throw SyntaxError(message: "unknown leak detector '\(parts[0])'; detectors: \(names)")
        }
        return .leaks(detector, counter)
    }

    /// `errors.timeout`, `errors.jsonrpc_error.-32603`, `errors.http_status.429`.
    private func failures(_ text: String, step: String?) throws(SyntaxError) -> ThresholdMetric {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard let className = parts.first, let failureClass = FailureClass(rawValue: className) else {
            let classes = FailureClass.allCases.map(\.rawValue).joined(separator: ", ")
            throw SyntaxError(message: "unknown failure class '\(parts.first ?? "")'; classes: \(classes)")
        }
        guard parts.count == 2 else { return .failures(failureClass, code: nil, step: step) }
        guard let code = Int64(parts[1]) else {
            throw SyntaxError(
                message: "'\(parts[1])' is not a code; write errors.\(className).CODE, e.g. -32603 or 429")
        }
        return .failures(failureClass, code: code, step: step)
    }

    private static func latencyStatistic(_ name: String) -> LatencyStatistic? {
        switch name {
        case "mean": return .mean
        case "max": return .max
        case "min": return .min
        default:
            guard name.hasPrefix("p"), let value = Double(name.dropFirst()), value > 0, value <= 100 else { return nil }
            return .percentile(value)
        }
    }

    private func latencyScope(_ step: String?) throws(SyntaxError) -> LatencyScope {
        guard let step else { return .allSteps }
        if step == "setup" || step == "session setup" { return .sessionSetup }
        if step == "token" || step == "token endpoint" { return .tokenEndpoint }
        return .step(try stepLabel(step) ?? step)
    }

    private func stepLabel(_ step: String?) throws(SyntaxError) -> String? {
        guard let step else { return nil }
        guard stepLabels.contains(step) else {
            let known = stepLabels.map { "'\($0)'" }.joined(separator: ", ")
            throw SyntaxError(message: "no step labelled '\(step)'; the steps that send requests are \(known)")
        }
        return step
    }

    // MARK: Limit

    private static func parseLimit(
        _ text: String, unit: ThresholdMetric.Unit, metricName: String
    ) throws(SyntaxError) -> Double {
        guard !text.isEmpty else { throw SyntaxError(message: "a value is missing after the comparison") }
        switch unit {
        case .duration:
            guard let duration = DurationText.parse(text) else {
                throw SyntaxError(message: "'\(text)' is not a duration; \(metricName) needs one, e.g. 250ms or 1.5s")
            }
            return Double(duration.nanoseconds) / 1000
        case .fraction:
            guard text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingWhitespace()),
                percent >= 0, percent <= 100
            else {
                throw SyntaxError(message: "'\(text)' is not a percentage; \(metricName) needs one, e.g. 1% or 0.5%")
            }
            return percent / 100
        case .perSecond:
            let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
            guard let rate = Double(number.trimmingWhitespace()), rate >= 0 else {
                throw SyntaxError(message: "'\(text)' is not a rate; \(metricName) needs one, e.g. 200/s")
            }
            return rate
        case .bytes:
            guard let bytes = ByteSizeText.parse(text) else {
                throw SyntaxError(message: "'\(text)' is not a size; \(metricName) needs one, e.g. 1MiB or 512KiB")
            }
            return Double(bytes)
        case .count:
            guard let count = UInt64(text) else {
                throw SyntaxError(message: "'\(text)' is not a count; \(metricName) needs a whole number, e.g. 0")
            }
            return Double(count)
        }
    }
}
