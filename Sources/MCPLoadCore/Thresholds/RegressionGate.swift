/// A limit on how much worse a run may be than a baseline: `p99(call echo) +10%`,
/// `failure_rate +0.5pp`, `rate -10%`, `p50 +2ms`. Checked by `mcpload compare`.
///
/// The sign says which way is worse for the metric: `+` caps an increase (latency, failures),
/// `-` caps a decrease (rate, successes). The amount is relative (`%` of the baseline) or
/// absolute in the metric's unit (a duration, percentage points `pp`, `/s`, a count).
package struct RegressionGate: Sendable, Hashable {
    package var expression: String
    package var metric: ThresholdMetric
    package var direction: Direction
    package var allowance: Allowance

    package enum Direction: Sendable, Hashable {
        case increase, decrease
    }

    package enum Allowance: Sendable, Hashable {
        /// A fraction of the baseline's value (0.1 for 10%).
        case relative(Double)
        /// An amount in the metric's unit (microseconds, fraction, per second, count).
        case absolute(Double)
    }

    /// The worst value the new run may have, given the baseline's.
    package func limit(forBaseline base: Double) -> Double {
        let amount: Double =
            switch allowance {
            case .relative(let fraction): base * fraction
            case .absolute(let value): value
            }
        return direction == .increase ? base + amount : base - amount
    }

    package func holds(base: Double, new: Double) -> Bool {
        direction == .increase ? new <= limit(forBaseline: base) : new >= limit(forBaseline: base)
    }
}

extension ThresholdParser {
    /// Parses `METRIC[(STEP)] +N%` and its kin into a ``RegressionGate``.
    package func parseGate(_ text: String) throws(SyntaxError) -> RegressionGate {
        let expression = text.trimmingWhitespace()
        guard let split = expression.lastIndex(of: " "),
            let sign = expression[expression.index(after: split)...].first, sign == "+" || sign == "-"
        else {
            throw SyntaxError(message: "write METRIC then the change it may make, e.g. p99(call echo) +10% or rate -5%")
        }
        let metric = try parseMetric(expression[..<split].trimmingWhitespace())
        let amount = String(expression[expression.index(after: split)...].dropFirst()).trimmingWhitespace()
        let direction: RegressionGate.Direction = sign == "+" ? .increase : .decrease
        return RegressionGate(
            expression: expression, metric: metric, direction: direction,
            allowance: try Self.parseAllowance(amount, unit: metric.unit))
    }

    private static func parseAllowance(
        _ text: String, unit: ThresholdMetric.Unit
    ) throws(SyntaxError) -> RegressionGate.Allowance {
        if text.hasSuffix("%"), let percent = Double(text.dropLast()), percent >= 0 {
            return .relative(percent / 100)
        }
        switch unit {
        case .duration:
            if let duration = DurationText.parse(text) { return .absolute(Double(duration.nanoseconds) / 1000) }
        case .fraction:
            if text.hasSuffix("pp"), let points = Double(text.dropLast(2)), points >= 0 {
                return .absolute(points / 100)
            }
        case .perSecond:
            let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
            if let rate = Double(number), rate >= 0 { return .absolute(rate) }
        case .count:
            if let count = UInt64(text) { return .absolute(Double(count)) }
        case .bytes:
            if let bytes = ByteSizeText.parse(text) { return .absolute(Double(bytes)) }
        }
        let examples =
            switch unit {
            case .duration: "10% or 5ms"
            case .fraction: "10% (relative) or 0.5pp (percentage points)"
            case .perSecond: "10% or 50/s"
            case .count: "10% or 3"
            case .bytes: "10% or 1MiB"
            }
        throw SyntaxError(message: "'\(text)' is not a change this metric can make; write \(examples)")
    }
}

/// One gate's verdict: both values and the change between them.
package struct GateOutcome: Sendable, Hashable, Codable {
    package var gate: String
    package var baseText: String
    package var newText: String
    /// `+12.3%`, or `+0.40pp` for failure rates; `n/a` when a side had nothing to measure.
    package var changeText: String
    package var passed: Bool
}

extension RegressionGate {
    /// Measures the gate's metric in both results. A side with nothing to measure fails the gate.
    package func evaluate(base: RunResult, new: RunResult) -> GateOutcome {
        let unit = metric.unit
        guard let before = ThresholdEvaluator.measure(metric, in: base),
            let after = ThresholdEvaluator.measure(metric, in: new)
        else {
            return GateOutcome(gate: expression, baseText: "-", newText: "-", changeText: "n/a", passed: false)
        }
        return GateOutcome(
            gate: expression, baseText: ThresholdEvaluator.format(before, unit: unit),
            newText: ThresholdEvaluator.format(after, unit: unit),
            changeText: Self.change(from: before, to: after, unit: unit), passed: holds(base: before, new: after))
    }

    /// The change from `before` to `after` as a person reads it.
    package static func change(from before: Double, to after: Double, unit: ThresholdMetric.Unit) -> String {
        if unit == .fraction {
            let points = (after - before) * 100
            return "\(points >= 0 ? "+" : "")\(DurationText.rounded(points, places: 2))pp"
        }
        guard before != 0 else { return after == 0 ? "+0.0%" : "new" }
        let percent = (after - before) / before * 100
        return "\(percent >= 0 ? "+" : "")\(DurationText.rounded(percent, places: 1))%"
    }
}
