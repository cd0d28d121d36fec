import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// The scenarios people copy from must work: the README's reference and every example file.
    @Suite("Documented scenarios")
    struct DocumentationTests {
        @Test("the README's scenario reference parses and runs against the demo server without a failure")
        func readmeScenario() async throws {
            let readme = try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
            // The reference is the first complete scenario among the README's YAML blocks.
            let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().compactMap {
                $0.components(separatedBy: "```").first
            }
            let yaml = try #require(blocks.first { $0.contains("\nsteps:") })
            var scenario = try ScenarioParser(file: "README.md").parse(yaml: yaml)
            scenario.load = LoadSettings(virtualClients: 2, iterations: 2)
            let result = await TestSupport.run(scenario)
            #expect(result.status == .completed)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.opened == 4)
        }

        @Test("every file in scenarios/ validates")
        func exampleScenarios() throws {
            let folder = TestSupport.repositoryRoot.appendingPathComponent("scenarios")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasSuffix(".yaml")
            }
            #expect(files.count >= 4)
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                #expect(throws: Never.self, "\(file)") { try ScenarioParser(file: file).parse(yaml: text) }
            }
        }
    }
}
