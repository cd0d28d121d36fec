import Yams

extension ScenarioParser {
    /// `leaks: { detectors: all | [email, card, …], canaries: per-client | none, custom: { NAME: REGEX } }`.
    func parseLeaks(_ node: Node) throws(ScenarioError) -> LeakSettings {
        let fields = try mapping(node, context: "leaks")
        try checkKeys(fields, allowed: ["detectors", "canaries", "custom"], context: "leaks")
        var settings = LeakSettings()
        if let detectors = fields["detectors"] {
            if case .scalar = detectors, try string(detectors) == "all" {
                settings.detectors = Set(LeakDetector.allCases)
            } else {
                settings.detectors = [.canary]
                for name in try stringList(detectors) {
                    guard let detector = LeakDetector.builtIn(named: name), detector != .canary else {
                        let names = LeakDetector.allCases.filter { $0 != .canary }.map(\.rawValue).joined(
                            separator: ", ")
                        throw error(at: detectors, "unknown leak detector '\(name)'; use all, or some of: \(names)")
                    }
                    settings.detectors.insert(detector)
                }
            }
        }
        if let canaries = fields["canaries"] {
            switch try string(canaries) {
            case "per-client": settings.perClientCanaries = true
            case "none": settings.perClientCanaries = false
            case let other: throw error(at: canaries, "leaks.canaries '\(other)' is not one of per-client, none")
            }
        }
        if !settings.perClientCanaries { settings.detectors.remove(.canary) }
        if let custom = fields["custom"] { settings.custom = try parseCustomLeakPatterns(custom) }
        return settings
    }

    /// `custom: { employee-id: "EMP-[0-9]{6}" }`: each a name and a regular expression.
    private func parseCustomLeakPatterns(_ node: Node) throws(ScenarioError) -> [CustomLeakPattern] {
        let fields = try mapping(node, context: "leaks.custom")
        var patterns: [CustomLeakPattern] = []
        for field in fields.fields {
            let name = field.key
            guard CustomLeakPattern.isValidName(name) else {
                throw error(
                    at: field.keyNode, "leaks.custom: '\(name)' is not a usable name; use letters, digits, - and _")
            }
            guard LeakDetector.builtIn(named: name) == nil else {
                throw error(at: field.keyNode, "leaks.custom: '\(name)' is a built-in detector's name; pick another")
            }
            let pattern = try string(field.value)
            let compiled: CustomLeakPattern
            do {
                compiled = try CustomLeakPattern(name: name, pattern: pattern)
            } catch {
                throw self.error(at: field.value, "leaks.custom.\(name): not a valid regular expression (\(error))")
            }
            guard !compiled.matchesEmptyText else {
                throw self.error(
                    at: field.value,
                    "leaks.custom.\(name): the expression matches empty text; it would find nothing real")
            }
            patterns.append(compiled)
        }
        return patterns
    }
}
