import Foundation
import MCPLoadCore
import MCPLoadTransport
import Testing

@testable import MCPLoadEngine

/// Every suite that starts processes is nested here. They run side by side: each run checks
/// that its own servers are gone (`ChildProcesses`, one per run), not the test process's.
@Suite(.timeLimit(.minutes(5)))
struct ProcessTests {}

extension ProcessTests {
    @Suite("Retries end to end")
    struct RetryEndToEndTests {
        @Test("every injected failure is retried once and the retry succeeds: attempts, retries and bytes exact")
        func requestRetries() async throws {
            // Each client's server fails exactly every other call (⌊n × 0.5⌋ of the first n).
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--error-rate, "0.5"] }
                load: { vus: 2, iterations: 10 }
                retry: { attempts: 3, backoff: { initial: 1ms, max: 5ms }, on: [jsonrpc_error] }
                steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
                """)
            let step = try #require(result.steps.first)
            #expect(step.successes == 20)
            #expect(step.retries == 18)
            #expect(step.retrySuccesses == 18)
            #expect(step.attempts == 38)
            #expect(step.failures[.jsonrpcError] == 18)
            // A retry re-sends the same request (its id one digit longer or not): same size, ±2 bytes.
            #expect(abs(Double(step.bytesResent) / 18 - Double(step.bytesOut) / 38) < 2)
        }

        @Test("resend-history: a server that crashes mid-iteration gets a new session and the iteration replayed")
        func resendHistory() async throws {
            // Each server answers 5 requests (initialize, then 3 per iteration), then dies on the
            // 6th: from the second iteration on, `call echo` fails; the retry starts a new server,
            // re-sends list_tools, then retries call echo, then goes on.
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--crash-after, "5"] }
                load: { vus: 2, iterations: 3 }
                session: { shutdownGrace: 300ms }
                retry: { attempts: 3, backoff: { initial: 1ms, max: 5ms }, mode: resend-history, on: [transport] }
                steps:
                  - list_tools
                  - call_tool: { name: echo, arguments: { text: hi } }
                  - call_tool: { name: add, arguments: { a: 1, b: 2 } }
                """)
            let steps = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.label, $0) })
            #expect(steps["list_tools"]?.retries == 4)
            #expect(steps["list_tools"]?.retrySuccesses == 4)
            #expect(steps["call echo"]?.failures[.transport] == 4)
            #expect(steps["call echo"]?.retries == 4)
            #expect(steps["call echo"]?.retrySuccesses == 4)
            #expect(steps["call add"]?.retries == 0)
            #expect(steps["call add"]?.successes == 6)
            #expect(result.session.opened == 6)
            #expect(result.iterations.completed == 6 && result.iterations.abandoned == 0)
        }

        @Test("a 429 with Retry-After is retried over HTTP; failures not named in `on` are final")
        func httpRetryAfter() async throws {
            // The wait itself is the in-memory executor's test, on a manual clock; a maximum of
            // 10 ms keeps this one from waiting out the demo's whole second.
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, transport: http, args: [--status-rate, "429:0.5"] }
                load: { vus: 1, iterations: 3 }
                retry: { attempts: 2, backoff: { initial: 1ms, max: 10ms }, on: [http-429] }
                steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
                """)
            let step = try #require(result.steps.first)
            #expect(step.failures[.httpStatus] == step.retries)
            #expect(step.retries >= 1)
            #expect(step.retrySuccesses + (step.attempts - step.retries) >= step.successes)
            #expect(step.failures.examples.first?.message.contains("Retry-After: 1") == true)
        }
    }
}

extension ProcessTests {
    /// Real processes, real pipes: the demo server (and a deliberately rude one) under load.
    @Suite("End to end over stdio")
    struct EndToEndTests {
        @Test(
            "20 clients × 5 iterations against the demo server: every request counted and ok, no child left"
        )
        func twentyClients() async throws {
            let result = try await TestSupport.run(
                """
                name: twenty
                target: { builtin: demo }
                load: { vus: 20, iterations: 5 }
                steps:
                  - initialize
                  - list_tools: { expect: { contains: echo } }
                  - call_tool: { name: echo, arguments: { text: "c{{vu}}-i{{iteration}}" }, expect: { contains: "c{{vu}}-i{{iteration}}" } }
                  - call_tool: { name: add, arguments: { a: 2, b: 3 }, expect: { equals: { structuredContent.sum: 5 } } }
                  - read_resource: { uri: "demo://greeting", expect: { contains: Hello } }
                  - get_prompt: { name: greet, arguments: { name: ann }, expect: { contains: ann } }
                  - ping
                """)
            #expect(result.status == .completed)
            #expect(
                result.steps.map(\.label) == [
                    "list_tools", "call echo", "call add", "read_resource", "get_prompt greet", "ping",
                ])
            for step in result.steps {
                #expect(step.attempts == 100, "\(step.label)")
                #expect(step.successes == 100, "\(step.label): \(step.failures.examples)")
                #expect(step.latency.count == 100)
            }
            #expect(result.session.opened == 20)
            #expect(result.session.closed == 20)
            #expect(result.session.protocolVersions == ["2025-11-25": 20])
            #expect(result.iterations.completed == 100)
            #expect(result.totals.bytesOut > 0 && result.totals.bytesIn > 0)
        }

        @Test(
            "--crash-after and --garbage-every are counted exactly, in transport and protocol, and the run completes"
        )
        func crashesAndGarbage() async throws {
            // Per server: request 1 is initialize; every 3rd request gets garbage; the 6th crashes it.
            // Iteration 1: list ok, echo garbage, add ok. Iteration 2: list ok, echo crash (abandoned).
            // New server, iteration 3: list ok, echo garbage, add ok.
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--crash-after, 5, --garbage-every, 3, --stderr-noise] }
                load: { vus: 2, iterations: 3 }
                steps:
                  - list_tools
                  - call_tool: { name: echo, arguments: { text: x } }
                  - call_tool: { name: add, arguments: { a: 1, b: 1 } }
                """)
            #expect(result.status == .completed)
            let steps = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.label, $0) })
            #expect(steps["list_tools"]?.attempts == 6)
            #expect(steps["list_tools"]?.successes == 6)
            #expect(steps["call echo"]?.attempts == 6)
            #expect(steps["call echo"]?.failures.byClass == [.protocol: 4, .transport: 2])
            #expect(steps["call add"]?.attempts == 4)
            #expect(steps["call add"]?.successes == 4)
            #expect(result.session.opened == 4)
            #expect(result.session.reopened == 2)
            #expect(result.iterations.completed == 4)
            #expect(result.iterations.abandoned == 2)
            let tail = result.servers.stderrTails.first?.lines ?? []
            #expect(tail.contains("mcpload demo: crashing as asked (--crash-after)"))
            #expect(tail.contains("[server process ended: exited(1)]"))
        }

        @Test("a hanging tool ends as `timeout`, and the hung server is still stopped")
        func hangingTool() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 2, iterations: 1 }
                session: { shutdownGrace: 100ms }
                steps:
                  - call_tool: { name: slow, arguments: { ms: 600000 }, timeout: 300ms }
                """)
            let step = try #require(result.steps.first)
            #expect(step.failures.byClass == [.timeout: 2])
            #expect(step.failedLatency.minMicroseconds >= 300_000)
            // The log notification the slow tool sends first is counted, not an error.
            #expect(result.protocolTraffic.notifications["notifications/message"] == 2)
        }

        @Test("server requests during a call are answered, so the call completes")
        func serverRequests() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 3, iterations: 2 }
                steps:
                  - call_tool: { name: ask_client, expect: { contains: "ping: ok; roots/list: error -32601" } }
                """)
            #expect(result.steps.first?.successes == 6)
            #expect(result.protocolTraffic.serverRequests == ["ping": 6, "roots/list": 6])
        }

        @Test("injected JSON-RPC errors, tool errors and raw malformed lines land in their classes")
        func errorClasses() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--error-rate, "0.5"] }
                load: { vus: 2, iterations: 4 }
                steps:
                  - call_tool: { name: echo, arguments: { text: x } }
                  - raw: { text: "{this is not json", expect: { error: -32700 } }
                  - raw: { text: '{"jsonrpc":"2.0","id":"r{{iteration}}","method":"ping"}' }
                """)
            let steps = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.label, $0) })
            #expect(steps["call echo"]?.failures.byClass == [.jsonrpcError: 4])
            #expect(steps["call echo"]?.failures.byCode[.jsonrpcError] == ["-32603": 4])
            #expect(steps["raw"]?.attempts == 16)
            #expect(steps["raw"]?.successes == 16)

            let tools = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 1, iterations: 3 }
                steps:
                  - call_tool: { name: fail }
                  - call_tool: { name: fail, label: expected failure, expect: { isError: true } }
                """)
            #expect(tools.steps.map(\.failures.byClass) == [[.toolError: 3], [:]])
        }

        @Test("an oversize line and invalid UTF-8 from a real process are `protocol` failures")
        func rudeServer() async throws {
            let script = TestSupport.fixtures + "/rude_server.py"
            let result = try await TestSupport.run(
                """
                target: { command: [python3, "\(script)"] }
                load: { vus: 2, iterations: 2 }
                session: { maxMessageSize: 1MiB }
                steps:
                  - list_tools
                  - call_tool: { name: anything }
                """)
            #expect(result.session.protocolVersions == ["2025-06-18": 2])
            #expect(result.steps.map(\.failures.byClass) == [[.protocol: 4], [.protocol: 4]])
            #expect(
                result.steps[0].failures.examples.first?.message.contains("exceeds the limit") == true)
            #expect(result.steps[1].failures.examples.first?.message.contains("UTF-8") == true)
        }

        @Test("reconnect opens a new session mid-iteration; notify sends without an answer")
        func reconnectAndNotify() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 2, iterations: 2 }
                steps:
                  - ping
                  - notify: { method: notifications/roots/list_changed }
                  - reconnect
                  - ping: { label: ping after reconnect }
                """)
            #expect(result.steps.map(\.label) == ["ping", "ping after reconnect"])
            #expect(result.steps.map(\.successes) == [4, 4])
            // Per client: the first session, then one more per reconnect.
            #expect(result.session.opened == 6)
            #expect(result.session.reopened == 4)
            #expect(result.session.closed == 6)
            #expect(result.iterations.completed == 4)
        }

        @Test("a server that stops reading stdin cannot block a write past the request timeout")
        func stuckServer() async throws {
            let script = TestSupport.fixtures + "/stuck_server.py"
            // Far more than a pipe holds (64 KiB on Linux), so the write blocks.
            let padding = String(repeating: "p", count: 1 << 20)
            let result = try await TestSupport.run(
                """
                target: { command: [python3, "\(script)"] }
                load: { vus: 1, iterations: 1 }
                session: { shutdownGrace: 100ms }
                steps:
                  - call_tool: { name: echo, arguments: { text: "\(padding)" }, timeout: 500ms }
                """)
            let step = try #require(result.steps.first)
            #expect(step.failures.byClass == [.timeout: 1])
            #expect(step.failures.examples.first?.message.contains("stopped reading") == true)
            #expect(result.status == .completed)
        }

        @Test("a server that dies before the handshake fails setup as `transport`, with its exit in the stderr tail")
        func diesAtStartup() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: [python3, -c, "import sys; print('no config', file=sys.stderr); sys.exit(3)"] }
                load: { vus: 2, iterations: 2 }
                steps: [list_tools]
                """)
            #expect(result.status == .notStarted)
            #expect(result.session.setupFailures.byClass == [.transport: 4])
            #expect(result.session.opened == 0 && result.session.closed == 0)
            #expect(result.iterations.abandoned == 4)
            #expect(result.steps.first?.attempts == 0)
            let tail = result.servers.stderrTails.first?.lines ?? []
            #expect(tail.suffix(2) == ["no config", "[server process ended: exited(3)]"])
        }

        @Test(
            "a server that cannot start is `not_sent` session setup and the run reports it did not start")
        func missingServer() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: /nonexistent/mcp-server }
                load: { vus: 3, iterations: 2 }
                steps: [list_tools]
                """)
            #expect(result.status == .notStarted)
            #expect(result.session.setupFailures.byClass == [.notSent: 6])
            #expect(result.session.closed == 0)
            #expect(result.statusReason?.contains("cannot start server") == true)
        }

        @Test("a protocol version the server offers but mcpload does not implement fails setup clearly")
        func versionNegotiation() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 1, iterations: 1 }
                steps:
                  - initialize: { protocolVersion: "2025-06-18" }
                  - ping
                """)
            #expect(result.session.protocolVersions == ["2025-06-18": 1])
            let failed = SessionHandshake.negotiate(["protocolVersion": "1999-01-01"])
            guard case .failure(let failure) = failed else {
                Issue.record("an unknown version must fail")
                return
            }
            #expect(failure.failureClass == .protocol)
            #expect(failure.message.contains("1999-01-01"))
        }
    }

}

extension ProcessTests {
    @Suite("Test support")
    struct TestSupportTests {
        @Test(
            "a run's child processes are seen running and as survivors while alive, and neither once stopped")
        func seesChildren() async throws {
            let launch = StdioLaunch(command: ["cat"], shutdownGrace: .milliseconds(200))
            let children = ChildProcesses()
            let completion = try await StdioTransport.withServer(launch, in: children) { connection in
                let pid = connection.processIdentifier
                let seen =
                    TestSupport.liveChildren().contains(pid) && children.running == [pid]
                    && children.survivors() == [pid]
                return seen ? pid : 0
            }
            #expect(completion.value != 0)
            #expect(!TestSupport.liveChildren().contains(completion.value))
            #expect(children.running.isEmpty)
            #expect(children.survivors().isEmpty)
        }
    }
}
