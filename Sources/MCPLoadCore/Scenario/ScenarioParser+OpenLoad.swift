import Yams

extension ScenarioParser {
    /// `model: open`: `rate` (per second), optional `stages` ramping it, `duration` (without
    /// stages), `maxVUs` (clients that may run iterations at once; default 100).
    func parseOpenLoad(_ fields: YAMLFields) throws(ScenarioError) -> LoadSettings {
        try rejectClosedKeys(fields, model: "the open model")
        let rate = try fields["rate"].map { node throws(ScenarioError) in try self.rate(node, what: "load.rate") } ?? 0
        var stages: [RateStage] = []
        if let stagesNode = fields["stages"] {
            guard case .sequence(let sequence) = stagesNode, !sequence.isEmpty else {
                throw error(at: stagesNode, "load.stages must be a list, e.g. - { to: 200/s, over: 30s }")
            }
            for element in sequence {
                let stage = try mapping(element, context: "a load stage")
                try checkKeys(stage, allowed: ["to", "over"], context: "a load stage")
                guard let to = stage["to"], let over = stage["over"] else {
                    throw error(at: element, "a load stage needs 'to' (a rate) and 'over' (a duration)")
                }
                stages.append(
                    RateStage(
                        to: try self.rate(to, what: "stage 'to'"),
                        over: try positiveDuration(over, what: "stage 'over'")))
            }
        }
        var duration: Duration?
        if let durationNode = fields["duration"] {
            guard stages.isEmpty else {
                throw error(at: durationNode, "with stages, the run lasts as long as they do: remove 'duration'")
            }
            duration = try positiveDuration(durationNode, what: "load.duration")
        }
        guard fields["rate"] != nil || !stages.isEmpty else {
            throw error(at: fields.node, "the open model needs 'rate' (e.g. 200/s) or 'stages'")
        }
        guard !stages.isEmpty || duration != nil else {
            throw error(at: fields.node, "the open model needs 'duration' (or 'stages') to say how long it runs")
        }
        let pacer = Pacer(rate: rate, stages: stages, duration: duration)
        guard pacer.expectedArrivals >= 1 else {
            throw error(at: fields.node, "this schedule starts no iteration: raise the rate or lengthen it")
        }
        var load = LoadSettings(virtualClients: 100, iterations: nil, duration: pacer.duration)
        load.pacer = pacer
        if let maxVUs = fields["maxVUs"] { load.virtualClients = try clientCount(maxVUs, what: "load.maxVUs") }
        return load
    }

    /// The closed model's keys, rejected with what takes their place in a rate-driven model.
    func rejectClosedKeys(_ fields: YAMLFields, model: String) throws(ScenarioError) {
        for key in ["vus", "iterations", "ramp", "think"] {
            guard let field = fields.fields.first(where: { $0.key == key }) else { continue }
            let instead =
                switch key {
                case "vus": "maxVUs caps the clients"
                case "iterations": "it runs for a duration"
                case "ramp": "the rate sets the pace"
                default: "the rate paces it"
                }
            throw error(at: field.keyNode, "'\(key)' belongs to the closed model; in \(model) \(instead)")
        }
    }

    /// `200/s`, `200`, `1.5/s`: iterations per second.
    func rate(_ node: Node, what: String) throws(ScenarioError) -> Double {
        let text = try string(node).trimmingWhitespace()
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)).trimmingWhitespace() : text
        guard number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number),
            value >= 0, value.isFinite
        else {
            throw error(at: node, "\(what): '\(text)' is not a rate; write iterations per second, e.g. 200/s")
        }
        guard value <= LoadSettings.maximumRate else {
            throw error(
                at: node,
                "\(what): '\(text)' is more than \(Int(LoadSettings.maximumRate)) iterations per second, "
                    + "beyond what any load generator makes; split it with --shard")
        }
        return value
    }
}
