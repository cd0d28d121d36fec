import MCPLoadCore

/// Scenario files (YAML included) and threshold expressions: parsed, or refused with a
/// located message; never a trap, never an endless expansion.
enum ScenarioFuzzing {
    static func scenario(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        do {
            _ = try ScenarioParser(file: "fuzz.yaml").parse(yaml: text)
        } catch {
            precondition(error.description.hasPrefix("fuzz.yaml:"), "an error without its location")
        }
    }

    static func thresholds(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let parser = ThresholdParser(stepLabels: ["call echo", "list_tools"])
        _ = try? parser.parse(text)
    }
}
