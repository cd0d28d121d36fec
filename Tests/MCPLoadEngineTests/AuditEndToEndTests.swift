import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    @Suite("Tool-surface audit end to end")
    struct AuditEndToEndTests {
        /// What `--poison` plants (PoisonedTools' doc comments): exactly these, nothing on the clean tools.
        static let poisonFindings = [
            "format_text base64-blob", "format_text hidden-unicode", "format_text nested-object",
            "format_text open-properties", "get_weather free-string", "get_weather free-string",
            "get_weather hidden-unicode", "get_weather instruction-tag", "get_weather missing-annotations",
            "get_weather open-properties", "get_weather override-phrase", "get_weather sensitive-path",
        ]

        private func pairs(_ audit: ToolSurfaceAudit) -> [String] {
            audit.findings.map { "\($0.tool) \($0.rule.rawValue)" }.sorted()
        }

        @Test("every listing of a run is audited: the clean demo has no findings, --poison exactly what it plants")
        func poisonedRun() async throws {
            let clean = try await TestSupport.run(
                "target: { builtin: demo }\nload: { vus: 2, iterations: 3 }\nsteps: [list_tools, ping]\n")
            let audit = try #require(clean.audit)
            #expect(audit.listings == 6)
            #expect(audit.findings.isEmpty, "\(audit.findings)")
            #expect(audit.tools.map(\.name) == ["add", "ask_client", "echo", "fail", "slow"])
            #expect(audit.bytesPerRun == 6 * UInt64(audit.bytesPerSession))

            let poisoned = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--poison] }
                load: { vus: 2, iterations: 2 }
                steps: [list_tools]
                thresholds: ["audit.poisoning == 0", "audit.schema <= 5", "audit.tools == 7"]
                """)
            let found = try #require(poisoned.audit)
            #expect(pairs(found) == Self.poisonFindings)
            #expect(poisoned.thresholds.map(\.passed) == [false, true, true])
            #expect(poisoned.thresholds.first?.measured == 6)
        }

        @Test("a rug pull over Streamable HTTP: the definition that changed after the first session is found")
        func rugPull() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http, args: [--rug-pull, "1"] }
                load: { vus: 1, iterations: 3 }
                session: { strategy: per-iteration }
                steps: [list_tools]
                thresholds: ["audit.rug_pull == 0"]
                """)
            let audit = try #require(result.audit)
            #expect(audit.listings == 3)
            let pull = try #require(audit.findings(in: .rugPull).first)
            #expect(pull.tool == "echo")
            #expect(pull.detail == "2 different definitions within one run; changed: description, inputSchema")
            #expect(audit.tools.first { $0.name == "echo" }?.versions == 2)
            // What the new definition plants is audited too.
            #expect(
                pairs(audit) == [
                    "echo free-string", "echo instruction-tag", "echo override-phrase", "echo rug-pull",
                    "echo sensitive-path",
                ])
            #expect(result.thresholds.first?.passed == false)
        }

        @Test("a run without tools/list has no audit, and a threshold on it has no data rather than a pass")
        func noListing() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 1, iterations: 1 }
                steps: [ping]
                thresholds: ["audit.findings == 0"]
                """)
            #expect(result.audit == nil)
            #expect(result.thresholds.first?.passed == false)
            #expect(result.thresholds.first?.measuredText == "no data")
        }
    }
}
