@testable import MCPLoadCore

/// Scenario text for parser tests: parsed as the file `s.yaml`, so errors read `s.yaml:LINE: …`.
enum ScenarioText {
    static func parse(_ yaml: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser(file: "s.yaml").parse(yaml: yaml)
    }

    /// The error the text is rejected with; nil when it parses.
    static func error(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error.description
        }
    }
}
