import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// The event-loop lane against the demo server on loopback: it carries the requests it can,
    /// and a run measures the same whichever way its requests went.
    @Suite("Requests on the session's event loop")
    struct ClientLaneTests {
        /// Runs `yaml` twice, lane on and lane off; returns both results and how many requests
        /// the lane sent in the first.
        private func bothWays(_ yaml: String) async throws -> (lane: RunResult, tasks: RunResult, laneSent: Int) {
            let scenario = try TestSupport.scenario(yaml)
            let counter = ClientLane.Counter()
            let lane = await ClientLane.$sentRequests.withValue(counter) { await TestSupport.run(scenario) }
            let tasks = await ClientLane.$isEnabled.withValue(false) { await TestSupport.run(scenario) }
            return (lane, tasks, counter.count)
        }

        /// What a run measured that must not depend on the way its requests went.
        private func tally(_ result: RunResult) -> [String] {
            result.steps.map { step in
                let failures = step.failures.byClass.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return "\(step.label): \(step.attempts) attempts, \(step.successes) ok, \(failures)"
            } + [
                "notifications: \(result.protocolTraffic.notifications.sorted { $0.key < $1.key })",
                "server requests: \(result.protocolTraffic.serverRequests.sorted { $0.key < $1.key })",
            ]
        }

        @Test(
            "JSON and SSE answers, notifications and server requests inside them: the lane sends every request after the handshake, and the run measures what the task's path measures",
            arguments: [["--json-response"], []])
        func sameMeasurements(demoArguments: [String]) async throws {
            let arguments = demoArguments.map { "\"\($0)\"" }.joined(separator: ", ")
            let (lane, tasks, laneSent) = try await bothWays(
                """
                target: { builtin: demo, transport: http, args: [\(arguments)] }
                load: { vus: 4, iterations: 5 }
                steps:
                  - list_tools: { expect: { contains: echo } }
                  - call_tool: { name: echo, arguments: { text: "c{{vu}}-i{{iteration}}" }, expect: { contains: "c{{vu}}-i{{iteration}}" } }
                  - call_tool: { name: echo, arguments: { text: "fixed {{vu}}" }, expect: { contains: "nowhere" }, label: fixed }
                  - call_tool: { name: ask_client, expect: { contains: "ping: ok; roots/list: error -32601" } }
                  - call_tool: { name: no_such_tool }
                """)
            #expect(tally(lane) == tally(tasks))
            #expect(lane.steps.map(\.attempts) == [20, 20, 20, 20, 20])
            // Server requests need an SSE answer: with JSON answers the demo cannot ask.
            let asked: UInt64 = demoArguments.isEmpty ? 20 : 0
            #expect(lane.steps.map(\.successes) == [20, 20, 0, asked, 0])
            // The lane sent the requests, but for the odd one that found no idle connection (a
            // server's request answered on it at that moment): the task's path opened one.
            #expect(laneSent >= 90, "\(laneSent)")
            #expect(lane.session.opened == 4 && lane.session.closed == 4)
        }

        @Test("a request with no answer in time gives up at its deadline, as on the task's path")
        func deadline() async throws {
            let (lane, tasks, laneSent) = try await bothWays(
                """
                target: { builtin: demo, transport: http, args: ["--json-response"] }
                load: { vus: 2, iterations: 2 }
                steps:
                  - call_tool: { name: slow, arguments: { ms: 2000 }, timeout: 200ms }
                  - call_tool: { name: echo, arguments: { text: "after" }, expect: { contains: after } }
                """)
            #expect(tally(lane) == tally(tasks))
            #expect(lane.steps[0].failures.byClass == [.timeout: 4])
            let limit = DurationText.format(.milliseconds(200))
            #expect(lane.steps[0].failures.examples.map(\.message) == ["no answer within \(limit)"])
            // A timed-out request costs its connection; the next one opens another and goes on.
            #expect(lane.steps[1].successes == 4)
            #expect(laneSent >= 4)
        }

        @Test("history carried with every request goes by the task's path; the lane takes none of it")
        func historyStaysOnTasks() async throws {
            let (lane, tasks, laneSent) = try await bothWays(
                """
                target: { builtin: demo, transport: http, args: ["--json-response"] }
                load: { vus: 2, iterations: 2 }
                history: { carry: meta }
                steps:
                  - call_tool: { name: echo, arguments: { text: "one" } }
                  - call_tool: { name: echo, arguments: { text: "two" } }
                """)
            #expect(tally(lane) == tally(tasks))
            #expect(lane.steps.map(\.successes) == [8])
            #expect(laneSent == 0)
        }
    }
}
