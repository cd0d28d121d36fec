import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// Streamable HTTP against the demo server on loopback: real sockets, real SSE.
    @Suite("End to end over Streamable HTTP")
    struct HTTPEndToEndTests {
        private func run(
            demoArguments: [String], transport: String = "http", vus: Int, iterations: Int, steps: String
        ) async throws -> RunResult {
            let arguments = demoArguments.map { "\"\($0)\"" }.joined(separator: ", ")
            return try await TestSupport.run(
                """
                target: { builtin: demo, transport: \(transport), args: [\(arguments)] }
                load: { vus: \(vus), iterations: \(iterations) }
                steps:
                \(steps)
                """)
        }

        private static let everything = """
              - list_tools: { expect: { contains: echo } }
              - call_tool: { name: echo, arguments: { text: "c{{vu}}-i{{iteration}}" }, expect: { contains: "c{{vu}}-i{{iteration}}" } }
              - call_tool: { name: add, arguments: { a: 2, b: 3 }, expect: { equals: { structuredContent.sum: 5 } } }
              - read_resource: { uri: "demo://greeting", expect: { contains: Hello } }
              - ping
            """

        @Test(
            "stateful with SSE answers, stateful with JSON answers, and stateless: 10 clients, every request ok",
            arguments: [[], ["--json-response"], ["--stateless"], ["--stateless", "--json-response"]])
        func modes(arguments: [String]) async throws {
            let result = try await run(demoArguments: arguments, vus: 10, iterations: 4, steps: Self.everything)
            #expect(result.status == .completed)
            #expect(result.scenario.transport == "http")
            #expect(result.steps.map(\.attempts) == [40, 40, 40, 40, 40])
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.opened == 10 && result.session.closed == 10)
        }

        @Test("legacy HTTP+SSE (2024-11-05): 10 clients, every request ok, each session its own stream")
        func legacySSE() async throws {
            let result = try await run(
                demoArguments: [], transport: "sse", vus: 10, iterations: 4, steps: Self.everything)
            #expect(result.status == .completed)
            #expect(result.scenario.transport == "sse")
            #expect(result.steps.map(\.successes) == [40, 40, 40, 40, 40])
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.opened == 10)
        }

        @Test(
            "SSE answers carry notifications and server requests before the answer; both are handled",
            arguments: ["http", "sse"])
        func serverMessagesOverSSE(transport: String) async throws {
            let result = try await run(
                demoArguments: [], transport: transport, vus: 3, iterations: 2,
                steps: """
                      - call_tool: { name: slow, arguments: { ms: 1 } }
                      - call_tool: { name: ask_client, expect: { contains: "ping: ok; roots/list: error -32601" } }
                    """)
            #expect(result.steps.map(\.successes) == [6, 6])
            #expect(result.protocolTraffic.notifications == ["notifications/message": 6])
            #expect(result.protocolTraffic.serverRequests == ["ping": 6, "roots/list": 6])
        }

        @Test("an expired session (404) is counted as http_status 404 and a new session is opened")
        func expiredSessions() async throws {
            // Each session serves 3 requests after initialize (the initialized notification is one).
            let result = try await run(
                demoArguments: ["--expire-sessions-after", "3"], vus: 2, iterations: 2,
                steps: """
                      - ping
                      - ping: { label: second ping }
                      - ping: { label: third ping }
                    """)
            // Session 1: initialized (1), ping (2), second ping (3), third ping → 404: iteration abandoned.
            // Session 2: initialized (1), ping (2), second ping (3), third ping → 404 again.
            #expect(result.steps.map(\.successes) == [4, 4, 0])
            #expect(result.steps[2].failures.byCode[.httpStatus] == ["404": 4])
            #expect(result.session.opened == 4)
            #expect(result.session.reopened == 2)
            #expect(result.session.expired == 4)
        }

        @Test("429 with Retry-After is counted exactly, by code, with Retry-After in the example")
        func rateLimited() async throws {
            let result = try await run(
                demoArguments: ["--status-rate", "429:0.25", "--stateless"], vus: 1, iterations: 20,
                steps: "  - ping")
            // Stateless: every POST counts. POSTs 1 and 2 are initialize and initialized, 3…22 the
            // pings; exactly ⌊n/4⌋ of the first n get 429: POSTs 4, 8, 12, 16 and 20.
            let ping = try #require(result.steps.first)
            #expect(ping.failures.byCode[.httpStatus] == ["429": 5])
            #expect(ping.successes == 15)
            #expect(ping.failures.examples.first?.message.contains("Retry-After: 1") == true)
            #expect(ping.attempts == ping.successes + ping.failures.total)
        }

        @Test(
            "session strategies over every transport: sessions opened per client, per iteration, per request",
            arguments: [
                ("stdio", "per-client", 3), ("stdio", "per-iteration", 9), ("stdio", "per-request", 18),
                ("http", "per-client", 3), ("http", "per-iteration", 9), ("http", "per-request", 18),
                ("sse", "per-iteration", 9),
            ])
        func strategies(transport: String, strategy: String, sessions: UInt64) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: \(transport) }
                load: { vus: 3, iterations: 3 }
                session: { strategy: \(strategy) }
                steps:
                  - ping
                  - think: 1ms
                  - call_tool: { name: echo, arguments: { text: "v{{vu}}" } }
                """)
            #expect(result.steps.map(\.successes) == [9, 9])
            #expect(result.session.opened == sessions)
            #expect(result.session.closed == sessions)
            #expect(result.iterations.completed == 9)
        }

        @Test(
            "pool: N opens N sessions for the whole run and shares them among all clients",
            arguments: ["stdio", "http", "sse"])
        func pool(transport: String) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: \(transport) }
                load: { vus: 6, iterations: 3 }
                session: { strategy: { pool: 2 } }
                steps:
                  - ping
                  - call_tool: { name: echo, arguments: { text: "c{{vu}}" }, expect: { contains: "c{{vu}}" } }
                """)
            #expect(result.status == .completed)
            #expect(result.steps.map(\.successes) == [18, 18])
            #expect(result.session.opened == 2)
            #expect(result.session.closed == 2)
            #expect(result.iterations.completed == 18)
        }

        @Test(
            "2026-07-28: no handshake, server/discover as setup, the envelope and routing headers on every request",
            arguments: ["stdio", "http"])
        func statelessRevision(transport: String) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: \(transport) }
                load: { vus: 4, iterations: 3 }
                session: { protocolVersion: "2026-07-28" }
                steps:
                \(Self.everything)
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [12, 12, 12, 12, 12])
            #expect(result.session.protocolVersions == ["2026-07-28": 4])
        }

        @Test(
            "protocolVersion auto: 2026-07-28 where server/discover answers, initialize where it does not",
            arguments: [([String](), "2026-07-28"), (["--pre-stateless"], "2025-11-25")])
        func automaticVersion(arguments: [String], expected: String) async throws {
            let flags = arguments.map { "\"\($0)\"" }.joined(separator: ", ")
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http, args: [\(flags)] }
                load: { vus: 2, iterations: 2 }
                session: { protocolVersion: auto }
                steps: [list_tools, ping]
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.protocolVersions == [expected: 2])
        }

        @Test("a stateless request whose routing headers disagree with its body: -32020, classified by code")
        func headerMismatch() async throws {
            // An explicit Mcp-Method header that lies: the server must refuse every request.
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http, headers: { Mcp-Method: "tools/list" } }
                load: { vus: 1, iterations: 2 }
                session: { protocolVersion: "2026-07-28" }
                steps: [ping]
                """)
            #expect(result.session.setupFailures.byCode[.jsonrpcError] == ["-32020": 2])
            #expect(result.session.setupFailures.examples.first?.message.contains("header mismatch") == true)
        }

        @Test("answers cut before they are sent are resumed with GET and Last-Event-ID: every call succeeds")
        func resumedStreams() async throws {
            let result = try await run(
                demoArguments: ["--cut-stream-rate", "0.5"], vus: 3, iterations: 4,
                steps: """
                      - call_tool: { name: echo, arguments: { text: "r{{vu}}-{{iteration}}" }, expect: { contains: "r{{vu}}-{{iteration}}" } }
                      - call_tool: { name: slow, arguments: { ms: 2 } }
                    """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [12, 12])
            // The slow tool's log notification arrives once per call, resumed or not.
            #expect(result.protocolTraffic.notifications == ["notifications/message": 12])
            // Exactly half of the 24 tools/call answers were cut, and each was resumed once.
            #expect(result.protocolTraffic.resumedStreams == 12)
        }

        @Test("a response silent longer than streamIdleTimeout ends as `timeout`; faster ones are unaffected")
        func streamIdleTimeout() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http }
                load: { vus: 2, iterations: 2 }
                session: { streamIdleTimeout: 300ms, requestTimeout: 30s }
                steps:
                  - call_tool: { name: slow, arguments: { ms: 10 }, label: quick }
                  - call_tool: { name: slow, arguments: { ms: 5000 }, label: silent }
                """)
            #expect(result.steps.map(\.label) == ["quick", "silent"])
            #expect(result.steps[0].successes == 4)
            #expect(result.steps[1].failures.byClass == [.timeout: 4])
            #expect(result.steps[1].failures.examples.first?.message.contains("idle") == true)
        }

        @Test(
            "session.listen opens a GET listening stream in every session (even one per request), or counts the 405",
            arguments: [([], true), (["--stateless"], false)])
        func listeningStream(arguments: [String], offered: Bool) async throws {
            let flags = arguments.map { "\"\($0)\"" }.joined(separator: ", ")
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http, args: [\(flags)] }
                load: { vus: 4, iterations: 3 }
                session: { listen: true, strategy: per-request }
                steps:
                  - call_tool: { name: echo, arguments: { text: "c{{vu}}" }, expect: { contains: "c{{vu}}" } }
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.opened == 12)
            let traffic = result.protocolTraffic
            #expect(traffic.listeningStreams == (offered ? 12 : 0))
            #expect(traffic.listeningStreamsRefused == (offered ? 0 : 12))
            if offered {
                // The demo server greets each listening stream with a log notification.
                #expect((traffic.notifications["notifications/message"] ?? 0) > 0)
            }
        }

        @Test("a closed port: the run does not start, and says why")
        func closedPort() async throws {
            let result = try await TestSupport.run(
                """
                target: { transport: http, url: "http://127.0.0.1:9/mcp" }
                load: { vus: 2, iterations: 1 }
                session: { setupTimeout: 5s }
                steps: [ping]
                """)
            #expect(result.status == .notStarted)
            #expect(result.session.setupFailures.byClass == [.notSent: 2])
        }
    }
}
