import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    @Suite("Leaks end to end")
    struct LeakEndToEndTests {
        @Test(
            "against the demo server with --leak, exposed counts equal what it planted; canaries sent again are retransmitted"
        )
        func exactCounts() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--leak] }
                load: { vus: 3, iterations: 2 }
                leaks: { detectors: all }
                steps:
                  - call_tool: { name: echo, arguments: { text: "note {{canary}}" }, expect: { contains: "{{canary}}" } }
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            let leaks = try #require(result.leaks)
            // Six calls, each answer with one record of each kind, every record different.
            for detector in [LeakDetector.email, .card, .apiKey] {
                #expect(leaks.detectors[detector]?.exposed == 6, "\(detector)")
                #expect(leaks.detectors[detector]?.uniqueValues == 6, "\(detector)")
            }
            // Each client's canary comes back to it twice; the second time it had already been exposed.
            #expect(leaks.detectors[.canary]?.exposed == 6)
            #expect(leaks.detectors[.canary]?.uniqueValues == 3)
            #expect(leaks.detectors[.canary]?.retransmitted == 3)
            #expect(leaks.detectors[.canary]?.crossSession == 0)
        }

        @Test(
            "history carry ships every earlier exchange with each call: each exposed value goes back once per later call",
            arguments: ["meta", "{ argument: context }"])
        func historyCarry(carry: String) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--leak] }
                load: { vus: 2, iterations: 2 }
                history: { carry: \(carry) }
                leaks: { detectors: [email, card, api-key] }
                steps:
                  - call_tool: { name: echo, arguments: { text: "first" } }
                  - call_tool: { name: echo, arguments: { text: "second" }, label: call echo again }
                  - call_tool: { name: add, arguments: { a: 1, b: 2 } }
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            let steps = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.label, $0) })
            // The first call has nothing to carry; the second carries one exchange, the third two.
            #expect(steps["call echo"]?.bytesCarried == 0)
            // Per step: each call's answer exposed one record per client per iteration; the
            // third call re-sent two records, the second one.
            let email = try #require(result.leaks?.detectors[.email])
            #expect(email.exposedBySteps == ["call echo": 4, "call echo again": 4, "call add": 4])
            #expect(email.retransmittedBySteps == ["call echo again": 4, "call add": 8])
            let once = try #require(steps["call echo again"]?.bytesCarried)
            let twice = try #require(steps["call add"]?.bytesCarried)
            #expect(once > 0 && twice > once)
            // 12 records were exposed (3 calls × 2 iterations × 2 clients); the first of each
            // iteration's calls went back twice, the second once: 3 re-sends per iteration per client.
            for detector in [LeakDetector.email, .card, .apiKey] {
                #expect(result.leaks?.detectors[detector]?.exposed == 12, "\(detector)")
                #expect(result.leaks?.detectors[detector]?.retransmitted == 12, "\(detector)")
            }
        }

        @Test(
            "--bleed: one HTTP server's shared cache hands one client's canary to another; per-client stdio servers cannot",
            arguments: [("http", true), ("stdio", false)])
        func bleed(transport: String, crosses: Bool) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: \(transport), args: [--bleed] }
                load: { vus: 4, iterations: 5 }
                leaks: { detectors: [email] }
                steps: [{ call_tool: { name: echo, arguments: { text: "mine {{canary}}" } } }]
                """)
            let canary = try #require(result.leaks?.detectors[.canary])
            if crosses {
                #expect(canary.crossSession >= 1)
            } else {
                #expect(canary.crossSession == 0)
                // Its own server only ever saw its own canary: each answer exposes it (a value
                // counts once per message, however often the message repeats it).
                #expect(canary.exposed == 4 * 5)
            }
        }

        @Test("with the knobs off, no leaks: the scanner finds nothing in the demo's clean answers")
        func clean() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 2, iterations: 2 }
                leaks: { detectors: all, canaries: none }
                steps: [list_tools, { call_tool: { name: echo, arguments: { text: hi } } }]
                """)
            #expect(result.leaks?.isEmpty == true)
        }

        @Test("a naive fan-in proxy hands one client's canary to another; a fixed proxy never does")
        func crossSession() async throws {
            func run(ids: String) async throws -> LeakStatistics.DetectorCounts? {
                try await TestSupport.run(
                    """
                    target: { builtin: demo, args: [--serial, --latency, 5ms], topology: shared-process, proxy: { ids: \(ids) } }
                    load: { vus: 20, iterations: 3 }
                    session: { requestTimeout: 2s, setupTimeout: 5s, shutdownGrace: 500ms }
                    leaks: { detectors: [email] }
                    steps: [{ call_tool: { name: echo, arguments: { text: "mine {{canary}}" } } }]
                    """
                ).leaks?.detectors[.canary]
            }
            let naive = try await run(ids: "passthrough")
            let fixed = try await run(ids: "rewrite")
            #expect((naive?.crossSession ?? 0) >= 1)
            #expect(fixed?.crossSession == 0)
            #expect(fixed?.exposed == 60)
        }

        @Test(
            "a misrouted answer (an id the session never sent) is a protocol failure and a cross-session event, counted exactly"
        )
        func misrouted() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--misroute-every, "4"] }
                load: { vus: 2, iterations: 6 }
                steps: [ping, { call_tool: { name: echo, arguments: { text: hi } } }]
                thresholds: ["misrouted == 0"]
                """)
            // Each server counts initialize as its first request, then ping, echo, ping, …: its
            // 4th, 8th and 12th are pings, answered under an id the client never sent.
            #expect(result.protocolTraffic.misroutedResponses == 6)
            #expect(result.protocolTraffic.unmatchedResponses == 0)
            #expect(result.steps[0].failures[.protocol] == 6)
            // One example for all six: the message does not vary with the id.
            #expect(
                result.steps[0].failures.examples.map(\.message) == [
                    "misrouted: an answer with an id this session never sent"
                ])
            #expect(result.steps[0].failures.examples.first?.count == 6)
            #expect(result.steps[1].failures.total == 0)
            #expect(result.thresholds.first?.measured == 6)
        }

        @Test(
            "a custom pattern counts exactly: exposed in every answer, retransmitted when sent again, its threshold readable"
        )
        func customPattern() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 2, iterations: 3 }
                leaks: { detectors: [email], canaries: none, custom: { employee-id: "EMP-[0-9]{6}" } }
                steps:
                  - call_tool: { name: echo, arguments: { text: "badge EMP-{{vu}}00042 issued" } }
                thresholds: ["leaks.employee-id.exposed == 6", "leaks.employee-id.retransmitted == 4"]
                """)
            let counts = try #require(result.leaks?.detectors[LeakDetector(rawValue: "employee-id")])
            // Six answers echo a client's badge; each client sends its own again in iterations 2 and 3.
            #expect(counts.exposed == 6)
            #expect(counts.uniqueValues == 2)
            #expect(counts.retransmitted == 4)
            #expect(counts.examples.allSatisfy { !$0.contains("00042") })
            #expect(result.thresholds.map(\.passed) == [true, true])
        }
    }
}
