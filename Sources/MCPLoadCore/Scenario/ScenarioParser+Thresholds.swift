import Yams

extension ScenarioParser {
    /// `thresholds:` — a list of expressions, each checked against the steps it names.
    func parseThresholds(
        _ node: Node, steps: [Step], leakDetectors: [LeakDetector] = LeakDetector.allCases
    ) throws(ScenarioError) -> [Threshold] {
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "thresholds must be a list, e.g. - \"p99(call echo) < 250ms\"")
        }
        let parser = ThresholdParser(stepLabels: Self.requestLabels(steps), leakDetectors: leakDetectors)
        var thresholds: [Threshold] = []
        for element in sequence {
            var options: YAMLFields?
            var textNode = element
            if case .mapping = element {
                let fields = try mapping(element, context: "a threshold")
                try checkKeys(fields, allowed: ["threshold", "abortOnFail", "after"], context: "a threshold")
                guard let node = fields["threshold"] else {
                    throw error(at: element, "write the threshold as { threshold: \"p99 < 250ms\", abortOnFail: true }")
                }
                textNode = node
                options = fields
            }
            let text = try string(textNode)
            var threshold: Threshold
            do {
                threshold = try parser.parse(text)
            } catch {
                throw self.error(at: textNode, "threshold '\(text)': \(error.message)")
            }
            if let options {
                if let abort = options["abortOnFail"] {
                    threshold.abortOnFail = try boolean(abort, what: "abortOnFail")
                }
                if let after = options["after"] { threshold.abortAfter = try duration(after, what: "after") }
            }
            if threshold.abortOnFail && !threshold.metric.isLive {
                throw error(
                    at: textNode,
                    "threshold '\(text)': abortOnFail needs a metric of the whole run that can be read as it goes: "
                        + "failure_rate, pN or max (no step), rate, requests, successes, errors[.CLASS], never_sent, "
                        + "sent_and_failed")
            }
            thresholds.append(threshold)
        }
        return thresholds
    }

    /// The labels thresholds may name: those of steps that send requests, each once, in order.
    package static func requestLabels(_ steps: [Step]) -> [String] {
        var labels: [String] = []
        for step in steps where step.isRequest && !labels.contains(step.label) { labels.append(step.label) }
        return labels
    }
}
