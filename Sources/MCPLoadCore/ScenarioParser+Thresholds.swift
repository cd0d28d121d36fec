import Yams

extension ScenarioParser {
    /// `thresholds:` — a list of expressions, each checked against the steps it names.
    func parseThresholds(_ node: Node, steps: [Step]) throws(ScenarioError) -> [Threshold] {
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "thresholds must be a list, e.g. - \"p99(call echo) < 250ms\"")
        }
        let parser = ThresholdParser(stepLabels: Self.requestLabels(steps))
        var thresholds: [Threshold] = []
        for element in sequence {
            let text = try string(element)
            do {
                thresholds.append(try parser.parse(text))
            } catch {
                throw self.error(at: element, "threshold '\(text)': \(error.message)")
            }
        }
        return thresholds
    }

    /// The labels thresholds may name: those of steps that send requests, each once, in order.
    public static func requestLabels(_ steps: [Step]) -> [String] {
        var labels: [String] = []
        for step in steps where step.isRequest && !labels.contains(step.label) { labels.append(step.label) }
        return labels
    }
}
