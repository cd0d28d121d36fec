import Yams

extension ScenarioParser {
    /// `model: ceiling`: `start` and `step` (rates), `hold` (each step's time), `max` (the last
    /// rate tried; default 20 steps), `until` (thresholds, read once the steps are known), `maxVUs`.
    func parseCeilingLoad(_ fields: YAMLFields) throws(ScenarioError) -> LoadSettings {
        try rejectClosedKeys(fields, model: "the ceiling model")
        try rejectKeys(
            ["rate", "stages", "duration"], in: fields, model: "the open model; the ceiling model sets them")
        guard let startNode = fields["start"], let stepNode = fields["step"], let holdNode = fields["hold"] else {
            throw error(
                at: fields.node,
                "the ceiling model needs 'start', 'step' and 'hold', e.g. start: 50/s, step: 50/s, hold: 10s")
        }
        let start = try rate(startNode, what: "load.start")
        let step = try rate(stepNode, what: "load.step")
        guard start > 0, step > 0 else { throw error(at: fields.node, "load.start and load.step must be above 0/s") }
        let hold = try positiveDuration(holdNode, what: "load.hold")
        let maximum =
            try fields["max"].map { node throws(ScenarioError) in try rate(node, what: "load.max") }
            ?? start + 19 * step
        guard maximum >= start else { throw error(at: fields.node, "load.max is below load.start") }
        guard (maximum - start) / step < Double(CeilingSearch.maximumSteps) else {
            throw error(
                at: fields.node,
                "from load.start to load.max by load.step is more than \(CeilingSearch.maximumSteps) steps: take larger steps"
            )
        }
        guard let untilNode = fields["until"], case .sequence(let until) = untilNode, !until.isEmpty else {
            throw error(at: fields.node, "the ceiling model needs 'until': the thresholds a step must meet")
        }
        var load = LoadSettings(virtualClients: 100, iterations: nil, duration: hold)
        // `until` is parsed with the steps (its thresholds may name them): see ``parseCeilingUntil``.
        load.ceiling = CeilingSearch(start: start, step: step, hold: hold, maximum: maximum, until: [])
        load.pacer = load.ceiling?.pacer(atRate: start)
        if let maxVUs = fields["maxVUs"] { load.virtualClients = try clientCount(maxVUs, what: "load.maxVUs") }
        return load
    }

    /// The ceiling model's `until` thresholds, checked against the scenario's steps.
    func parseCeilingUntil(_ loadNode: Node, steps: [Step]) throws(ScenarioError) -> [Threshold] {
        guard let until = try mapping(loadNode, context: "load")["until"] else { return [] }
        return try parseThresholds(until, steps: steps)
    }

    /// Keys of another load model are errors that say which model they belong to.
    func rejectKeys(_ keys: [String], in fields: YAMLFields, model: String) throws(ScenarioError) {
        for key in keys {
            guard let field = fields.fields.first(where: { $0.key == key }) else { continue }
            throw error(at: field.keyNode, "'\(key)' belongs to \(model)")
        }
    }
}
