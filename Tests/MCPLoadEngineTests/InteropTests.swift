import Foundation
import MCPLoadCore
import MCPLoadJSONRPC
import Testing

@testable import MCPLoadEngine

extension ProcessTests {
    /// Servers no one here wrote, from the test venv that scripts/test creates.
    @Suite(
        "Interop with real MCP servers",
        .enabled(if: TestSupport.pythonVenv != nil, "run scripts/test (it creates .venv with the Python peers)"))
    struct InteropTests {
        private var venv: String { TestSupport.pythonVenv ?? "" }

        @Test("a stdio server on the official Python SDK: 5 clients, 0 failures, the expected tools")
        func pythonSDK() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py"] }
                load: { vus: 5, iterations: 4 }
                session: { setupTimeout: 60s, requestTimeout: 30s }
                steps:
                  - initialize
                  - list_tools: { expect: { contains: [echo, add], equals: { "tools[0].inputSchema.type": object } } }
                  - call_tool: { name: echo, arguments: { text: "py {{vu}}" }, expect: { contains: "py {{vu}}" } }
                  - call_tool: { name: add, arguments: { a: 40, b: 2 }, expect: { contains: "42" } }
                """)
            #expect(result.status == .completed)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [20, 20, 20])
            #expect(result.session.opened == 5)
            #expect(result.session.protocolVersions.keys.allSatisfy(MCPProtocol.supportedVersions.contains))
        }

        @Test("per-client canaries echoed by a Python SDK server come back only to the client that sent them")
        func pythonSDKCanaries() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py"] }
                load: { vus: 5, iterations: 3 }
                session: { setupTimeout: 60s, requestTimeout: 30s }
                leaks: { detectors: all }
                steps: [{ call_tool: { name: echo, arguments: { text: "order {{canary}}" }, expect: { contains: "{{canary}}" } } }]
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            let canary = try #require(result.leaks?.detectors[.canary])
            #expect(canary.exposed == 15)
            #expect(canary.uniqueValues == 5)
            #expect(canary.crossSession == 0)
        }

        @Test("the Python SDK's GET listening stream opens in every session when session.listen asks for it")
        func pythonSDKListeningStream() async throws {
            let port = try TestSupport.freePort()
            let result = try await TestSupport.run(
                """
                target:
                  transport: http
                  command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py", "--http", "\(port)"]
                  url: "http://127.0.0.1:\(port)/mcp"
                load: { vus: 5, iterations: 2 }
                session: { listen: true, strategy: per-iteration, setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - call_tool: { name: echo, arguments: { text: "py {{vu}}" }, expect: { contains: "py {{vu}}" } }
                """)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.opened == 10)
            #expect(result.protocolTraffic.listeningStreams == 10)
        }

        @Test(
            "the Python SDK over Streamable HTTP, started by mcpload: stateful SSE, stateful JSON, stateless",
            arguments: [[], ["--json"], ["--stateless"]])
        func pythonSDKOverHTTP(mode: [String]) async throws {
            let port = try TestSupport.freePort()
            let flags = mode.map { ", \"\($0)\"" }.joined()
            let result = try await TestSupport.run(
                """
                target:
                  transport: http
                  command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py", "--http", "\(port)"\(flags)]
                  url: "http://127.0.0.1:\(port)/mcp"
                load: { vus: 5, iterations: 4 }
                session: { setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - list_tools: { expect: { contains: [echo, add] } }
                  - call_tool: { name: echo, arguments: { text: "py {{vu}}" }, expect: { contains: "py {{vu}}" } }
                  - call_tool: { name: add, arguments: { a: 40, b: 2 }, expect: { contains: "42" } }
                """)
            #expect(result.status == .completed, "\(result.statusReason ?? "")")
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [20, 20, 20])
            #expect(result.session.opened == 5)
        }

        @Test("the Python SDK speaks 2026-07-28 over Streamable HTTP: stateless requests, 0 failures")
        func pythonSDKStatelessRevision() async throws {
            let port = try TestSupport.freePort()
            let result = try await TestSupport.run(
                """
                target:
                  transport: http
                  command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py", "--http", "\(port)"]
                  url: "http://127.0.0.1:\(port)/mcp"
                load: { vus: 4, iterations: 3 }
                session: { protocolVersion: "2026-07-28", setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - list_tools: { expect: { contains: [echo, add] } }
                  - call_tool: { name: echo, arguments: { text: "new {{vu}}" }, expect: { contains: "new {{vu}}" } }
                """)
            #expect(result.status == .completed, "\(result.statusReason ?? "")")
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.session.protocolVersions == ["2026-07-28": 4])
        }

        @Test("the Python SDK over legacy HTTP+SSE, started by mcpload")
        func pythonSDKOverLegacySSE() async throws {
            let port = try TestSupport.freePort()
            let result = try await TestSupport.run(
                """
                target:
                  transport: sse
                  command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py", "--sse", "\(port)"]
                  url: "http://127.0.0.1:\(port)/sse"
                load: { vus: 5, iterations: 4 }
                session: { setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - list_tools: { expect: { contains: [echo, add] } }
                  - call_tool: { name: echo, arguments: { text: "sse {{vu}}" }, expect: { contains: "sse {{vu}}" } }
                """)
            #expect(result.status == .completed, "\(result.statusReason ?? "")")
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [20, 20])
        }

        @Test("mcp-server-time: 3 clients, 0 failures, its two tools")
        func timeServer() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: ["\(venv)/bin/mcp-server-time", "--local-timezone", "UTC"] }
                load: { vus: 3, iterations: 3 }
                session: { setupTimeout: 60s, requestTimeout: 30s }
                steps:
                  - list_tools: { expect: { contains: [get_current_time, convert_time] } }
                  - call_tool:
                      name: get_current_time
                      arguments: { timezone: Europe/Paris }
                      expect: { isError: false, contains: Europe/Paris }
                """)
            #expect(result.status == .completed)
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [9, 9])
        }
    }
}

extension ProcessTests {
    /// Peers that need `mcp<2`, from their own venv.
    @Suite(
        "Interop with FastMCP and mcp-proxy",
        .enabled(if: TestSupport.legacyPythonVenv != nil, "run scripts/test (it creates .venv-legacy)"))
    struct LegacyInteropTests {
        private var venv: String { TestSupport.legacyPythonVenv ?? "" }

        @Test("FastMCP over Streamable HTTP: 5 clients, 0 failures")
        func fastMCP() async throws {
            let port = try TestSupport.freePort()
            let result = try await TestSupport.run(
                """
                target:
                  transport: http
                  command: ["\(venv)/bin/python", "\(TestSupport.fixtures)/fastmcp_server.py", "\(port)"]
                  url: "http://127.0.0.1:\(port)/mcp"
                load: { vus: 5, iterations: 4 }
                session: { setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - list_tools: { expect: { contains: echo } }
                  - call_tool: { name: echo, arguments: { text: "fm {{vu}}" }, expect: { contains: "fm {{vu}}" } }
                """)
            #expect(result.status == .completed, "\(result.statusReason ?? "")")
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [20, 20])
        }

        @Test("mcp-proxy's legacy SSE front to a stdio server on the Python SDK 1.x: 5 clients, 0 failures")
        func mcpProxy() async throws {
            let port = try TestSupport.freePort()
            let result = try await TestSupport.run(
                """
                target:
                  transport: sse
                  command: ["\(venv)/bin/mcp-proxy", "--port", "\(port)", "--host", "127.0.0.1", "--",
                            "\(venv)/bin/python", "\(TestSupport.fixtures)/python_sdk_server.py"]
                  url: "http://127.0.0.1:\(port)/sse"
                load: { vus: 5, iterations: 4 }
                session: { setupTimeout: 60s, requestTimeout: 30s, shutdownGrace: 300ms }
                steps:
                  - list_tools: { expect: { contains: echo } }
                  - call_tool: { name: echo, arguments: { text: "mp {{vu}}" }, expect: { contains: "mp {{vu}}" } }
                """)
            #expect(result.status == .completed, "\(result.statusReason ?? "")")
            #expect(result.totals.failures.total == 0, "\(result.steps.map(\.failures.examples))")
            #expect(result.steps.map(\.successes) == [20, 20])
        }
    }
}
