import Yams

extension ScenarioParser {
    /// `leaks: { detectors: all | [email, card, …], canaries: per-client | none }`.
    func parseLeaks(_ node: Node) throws(ScenarioError) -> LeakSettings {
        let fields = try mapping(node, context: "leaks")
        try checkKeys(fields, allowed: ["detectors", "canaries"], context: "leaks")
        var settings = LeakSettings()
        if let detectors = fields["detectors"] {
            if case .scalar = detectors, try string(detectors) == "all" {
                settings.detectors = Set(LeakDetector.allCases)
            } else {
                settings.detectors = [.canary]
                for name in try stringList(detectors) {
                    guard let detector = LeakDetector(rawValue: name), detector != .canary else {
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
        return settings
    }
}
