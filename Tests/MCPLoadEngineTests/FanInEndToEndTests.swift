import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// The shared-process topology with real processes and pipes: the 20-connection failure and its fix.
    @Suite("Fan-in to one stdio server")
    struct FanInEndToEndTests {
        /// The published workload: every client opens a session and makes tool calls, all at once.
        static func twentyConnections(
            server: String, proxy: String, vus: Int = 20, iterations: Int = 1, timeout: String = "2s"
        ) -> String {
            """
            target:
              \(server)
              topology: shared-process
              proxy: \(proxy)
            load: { vus: \(vus), iterations: \(iterations) }
            session: { requestTimeout: \(timeout), setupTimeout: \(timeout), shutdownGrace: 500ms }
            steps:
              - initialize: { clientInfo: { name: "client-{{vu}}", version: "1.0" } }
              - list_tools: { expect: { contains: echo } }
              - call_tool: { name: echo, arguments: { text: "client {{vu}} call {{iteration}}" }, expect: { contains: "client {{vu}} call {{iteration}}" } }
              - call_tool: { name: add, arguments: { a: "{{vu}}", b: 1 } }
            """
        }

        static let demo = "builtin: demo\n  args: [--serial, --latency, 20ms]"

        /// Failures over every request, the handshakes included: what the published figures count.
        static func failureRate(_ result: RunResult) -> Double {
            let session = result.session
            let requests = result.totals.attempts + session.opened + session.setupFailures.total
            return Double(result.totals.failures.total + session.setupFailures.total) / Double(max(requests, 1))
        }

        @Test("a naive proxy (ids passed through, initialize forwarded) fails most of 20 clients' requests")
        func naiveProxyFails() async throws {
            let result = try await TestSupport.run(
                Self.twentyConnections(server: Self.demo, proxy: "{ ids: passthrough, initialize: forward }"))
            #expect(result.status == .completed)
            let proxy = try #require(result.proxy)
            #expect(proxy.serverProcesses == 1)
            #expect(proxy.initializeForwarded == proxy.clientSessions)
            // Every client's initialize is id 1: all but one lose the route to their answer.
            #expect(proxy.idCollisions >= 10)
            #expect(proxy.unmatchedResponses >= 10)
            #expect(Self.failureRate(result) > 0.5, "\(result.session.setupFailures.examples)")
        }

        @Test("a fixed proxy (ids rewritten, initialize intercepted): 20 clients × 3 iterations, every request ok")
        func fixedProxySucceeds() async throws {
            let result = try await TestSupport.run(
                Self.twentyConnections(
                    server: Self.demo, proxy: "{ ids: rewrite, initialize: intercept }", iterations: 3,
                    timeout: "30s"))
            #expect(result.status == .completed)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [60, 60, 60])
            #expect(result.session.opened == 20)
            let proxy = try #require(result.proxy)
            #expect(proxy.serverProcesses == 1)
            #expect(proxy.initializeForwarded == 1)
            #expect(proxy.initializeIntercepted == 19)
            #expect(proxy.requestsForwarded == 1 + 180)
            #expect(proxy.idCollisions == 0 && proxy.unmatchedResponses == 0)
        }

        @Test("processes: 3 spreads the sessions over three servers, each initialized once")
        func severalProcesses() async throws {
            let result = try await TestSupport.run(
                Self.twentyConnections(
                    server: "builtin: demo", proxy: "{ processes: 3 }", vus: 9, iterations: 2, timeout: "30s"))
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [18, 18, 18])
            let proxy = try #require(result.proxy)
            #expect(proxy.serverProcesses == 3)
            #expect(proxy.initializeForwarded == 3)
            #expect(proxy.clientSessions == 9)
        }

        @Test("when the shared server crashes, the run still completes, counts what failed, and leaves no process")
        func sharedServerCrashes() async throws {
            let result = try await TestSupport.run(
                Self.twentyConnections(
                    server: "builtin: demo\n  args: [--crash-after, 25]", proxy: "{}", vus: 10, iterations: 3,
                    timeout: "30s"))
            #expect(result.status == .completed)
            let failed = result.totals.failures
            #expect(failed[.transport] + failed[.notSent] + result.session.setupFailures.total > 0)
            #expect(result.totals.successes + result.session.opened >= 25)
            #expect(result.servers.stderrTails.contains { $0.lines.contains { $0.contains("crashing as asked") } })
        }
    }

    /// The same with the official Python SDK's stdio server, from the test venv.
    @Suite(
        "Fan-in to a Python SDK server",
        .enabled(if: TestSupport.pythonVenv != nil, "run scripts/test (it creates .venv with the Python peers)"))
    struct FanInPythonTests {
        private var server: String {
            let venv = TestSupport.pythonVenv ?? ""
            return #"command: ["\#(venv)/bin/python", "\#(TestSupport.fixtures)/python_sdk_server.py"]"#
        }

        @Test("a naive proxy in front of the Python SDK fails most of 20 clients' requests")
        func naiveProxyFails() async throws {
            let result = try await TestSupport.run(
                FanInEndToEndTests.twentyConnections(
                    server: server, proxy: "{ ids: passthrough, initialize: forward }", timeout: "5s"))
            #expect(result.status == .completed)
            #expect(FanInEndToEndTests.failureRate(result) > 0.5, "\(result.session.setupFailures.examples)")
            #expect(try #require(result.proxy).idCollisions >= 10)
        }

        @Test("a fixed proxy in front of the Python SDK: 20 clients, every request ok")
        func fixedProxySucceeds() async throws {
            let result = try await TestSupport.run(
                FanInEndToEndTests.twentyConnections(
                    server: server, proxy: "{ ids: rewrite, initialize: intercept }", iterations: 2, timeout: "60s"))
            #expect(result.status == .completed)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [40, 40, 40])
            #expect(result.session.opened == 20)
            #expect(try #require(result.proxy).initializeForwarded == 1)
        }
    }
}
