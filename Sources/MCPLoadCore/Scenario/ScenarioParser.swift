import Yams

/// Turns scenario YAML into a ``Scenario``, or the first problem as a ``ScenarioError`` with its line.
///
/// Parsing walks Yams' node tree rather than decoding with `Codable` because every error must
/// point at the line the user wrote, and unknown keys must be errors rather than silently ignored.
package struct ScenarioParser {
    let file: String

    package init(file: String) {
        self.file = file
    }

    /// Parses a whole scenario document.
    package func parse(yaml: String) throws(ScenarioError) -> Scenario {
        let root = try composeDocument(yaml)
        let fields = try mapping(root, context: "the scenario")
        try checkKeys(fields, allowed: Self.topLevelKeys, context: "the scenario")

        let name = try fields["name"].map { node throws(ScenarioError) in try string(node) } ?? "scenario"
        guard let targetNode = fields["target"] else {
            throw error(at: root, "missing 'target': say which server to load, e.g. target: { builtin: demo }")
        }
        let target = try parseTarget(targetNode)
        let load = try fields["load"].map { node throws(ScenarioError) in try parseLoad(node) } ?? LoadSettings()
        let session =
            try fields["session"].map { node throws(ScenarioError) in try parseSession(node) } ?? SessionSettings()
        guard let stepsNode = fields["steps"] else {
            throw error(at: root, "missing 'steps': list what each virtual client does, e.g. - list_tools")
        }
        let steps = try parseSteps(stepsNode)
        var scenario = Scenario(name: name, target: target, load: load, session: session, steps: steps)
        if scenario.load.ceiling != nil, let loadNode = fields["load"] {
            scenario.load.ceiling?.until = try parseCeilingUntil(loadNode, steps: steps)
        }
        if let matrixNode = fields["matrix"] { scenario.matrix = try parseMatrix(matrixNode, base: target) }
        if let leaksNode = fields["leaks"] { scenario.leaks = try parseLeaks(leaksNode) }
        if let retryNode = fields["retry"] { scenario.retry = try parseRetry(retryNode) }
        if let authNode = fields["auth"] { scenario.auth = try parseAuth(authNode, target: target) }
        if let historyNode = fields["history"] { scenario.history = try parseHistory(historyNode) }
        if let thresholdsNode = fields["thresholds"] {
            scenario.thresholds = try parseThresholds(
                thresholdsNode, steps: steps, leakDetectors: scenario.leaks?.detectorNames ?? LeakDetector.allCases)
            if scenario.leaks == nil,
                let leaky = scenario.thresholds.first(where: { if case .leaks = $0.metric { true } else { false } })
            {
                throw error(
                    at: thresholdsNode,
                    "threshold '\(leaky.expression)' reads leak counts: add leaks: { detectors: all }")
            }
        }
        return scenario
    }

    static let topLevelKeys: Set<String> = [
        "name", "description", "target", "load", "session", "steps", "matrix", "thresholds", "leaks", "retry",
        "history", "auth",
    ]

    private func composeDocument(_ yaml: String) throws(ScenarioError) -> Node {
        do throws(YAMLAliasBudget.Exceeded) {
            try YAMLAliasBudget.check(yaml)
        } catch {
            throw ScenarioError(
                file: file, line: error.line,
                message: "the alias *\(error.alias) expands the document past \(YAMLAliasBudget.maximumExpansion) "
                    + "values (nested anchors, a \"billion laughs\" document?); share less through aliases")
        }
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ScenarioError(file: file, line: 1, message: "the file is empty")
            }
            return node
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw yamlSyntaxError(error)
        } catch {
            throw ScenarioError(file: file, line: 1, message: "not valid YAML: \(error)")
        }
    }

    private func yamlSyntaxError(_ error: YamlError) -> ScenarioError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            ScenarioError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            ScenarioError(
                file: file, line: context.mark.line,
                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            ScenarioError(file: file, line: 1, message: "not valid YAML: \(error)")
        }
    }
}
