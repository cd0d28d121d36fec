import Foundation
import MCPLoadCore
import Testing

/// mcpload pointed at servers that misbehave on purpose (`Fixtures/hostile_server.py`), one
/// misbehaviour per row, each over the transport where it lives. Every row runs the `mcpload`
/// binary as a user does and holds it to what the README promises: the exit code, every failure
/// in the one class that is true, results written, no secret in any output, no process left.
extension ProcessTests {
    @Suite("Hostile servers")
    struct HostileServerTests {
        struct Row: CustomTestStringConvertible, Sendable {
            var mode: String
            var http = false
            var status: Int32
            /// Failures by class, exactly; nil where only `allowed` is checked (timing decides
            /// between two true classes, as for a write racing a server's exit).
            var failures: [FailureClass: UInt64]?
            var allowed: Set<FailureClass> = []

            var testDescription: String { "\(mode) over \(http ? "HTTP" : "stdio")" }
        }

        static let secret = "sk-live-0123456789abcdefghijklmnopqrstu"
        static let bearer = "tok-9876543210zyxwvutsrqponmlkjihg"
        static let queryKey = "qk-55667788990011223344"

        /// 2 clients × 2 iterations × 2 steps: 8 requests a run.
        static let rows: [Row] = [
            Row(mode: "polite", status: 0, failures: [:]),
            Row(mode: "id-1e19", status: 1, failures: [.protocol: 8]),
            Row(mode: "id-2pow63", status: 1, failures: [.protocol: 8]),
            Row(mode: "id-1e400", status: 1, failures: [.protocol: 8]),
            Row(mode: "id-fraction", status: 1, failures: [.protocol: 8]),
            Row(mode: "jsonrpc-1.0", status: 1, failures: [.protocol: 8]),
            Row(mode: "no-jsonrpc", status: 1, failures: [.protocol: 8]),
            Row(mode: "echo-secret", status: 1, failures: [.jsonrpcError: 8]),
            Row(mode: "grandchild-stdout", status: 0, failures: [:]),
            Row(mode: "grandchild-setsid", status: 0, failures: [:]),
            Row(mode: "grandchild-quiet", status: 0, failures: [:]),
            Row(mode: "ignore-term", status: 0, failures: [:]),
            Row(mode: "exit-after-init", status: 1, failures: nil, allowed: [.transport, .notSent]),
            Row(mode: "flood", status: 1, failures: [.timeout: 8]),
            Row(mode: "polite", http: true, status: 0, failures: [:]),
            Row(mode: "id-1e19", http: true, status: 1, failures: [.protocol: 8]),
            Row(mode: "jsonrpc-1.0", http: true, status: 1, failures: [.protocol: 8]),
            Row(mode: "echo-secret", http: true, status: 1, failures: [.auth: 8]),
            // A broken connection ends its session: each iteration's second step is never tried.
            Row(mode: "reset-mid-body", http: true, status: 1, failures: [.transport: 4]),
            Row(mode: "flood", http: true, status: 1, failures: [.timeout: 8]),
        ]

        @Test("a misbehaving server costs counted failures of the true class, never the run", arguments: rows)
        func row(_ row: Row) async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            // The servers (and whatever they start) run in a folder of their own, so that every
            // one of them can be found in /proc afterwards.
            let servers = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(try scenario(row, servers: servers), to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "out", "-q"], in: directory,
                environment: ["HOSTILE_SECRET": Self.secret, "HOSTILE_TOKEN": Self.bearer])
            #expect(finished.status == row.status, "\(finished.output)\(finished.errors)")

            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json"))
            let result = try RunResult.decode(from: data)
            #expect(result.status == .completed)
            let failures = result.totals.failures.byClass
            if let expected = row.failures {
                #expect(failures == expected)
            } else {
                #expect(result.totals.failures.total > 0)
                #expect(Set(failures.keys).isSubset(of: row.allowed), "\(failures)")
            }
            for file in ["report.html", "summary.md", "junit.xml"] {
                #expect(FileManager.default.fileExists(atPath: directory + "/out/" + file))
            }

            let outputs =
                [("stdout", finished.output), ("stderr", finished.errors)]
                + CommandLineSupport.filesText(in: directory + "/out")
            for secret in [Self.secret, Self.bearer, Self.queryKey] {
                // Not even a prefix: a cut through a secret must not leave its start behind.
                let prefix = String(secret.prefix(12))
                for (name, text) in outputs {
                    #expect(!text.contains(prefix), "\(name) holds the start of a secret")
                }
            }

            try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).isEmpty }
            #expect(TestSupport.processes(in: servers).isEmpty, "a server or its child outlived the run")
        }

        private func scenario(_ row: Row, servers: String) throws -> String {
            let script = TestSupport.fixtures + "/hostile_server.py"
            let session = "session: { requestTimeout: 1s, shutdownGrace: 300ms }"
            let shape = """
                load: { vus: 2, iterations: 2 }
                \(session)
                steps:
                  - list_tools
                  - call_tool: { name: echo, arguments: { text: hi } }
                thresholds: ["failure_rate < 1%"]
                """
            guard row.http else {
                return """
                    target:
                      command: [python3, "\(script)", \(row.mode)]
                      env: { HOSTILE_SECRET: "${HOSTILE_SECRET}" }
                      cwd: "\(servers)"
                    \(shape)
                    """
            }
            let port = try TestSupport.freePort()
            return """
                target:
                  transport: http
                  command: [python3, "\(script)", \(row.mode), --http, "\(port)"]
                  url: "http://127.0.0.1:\(port)/mcp?key=\(Self.queryKey)"
                  headers: { Authorization: "Bearer ${HOSTILE_TOKEN}" }
                  cwd: "\(servers)"
                \(shape)
                """
        }

        @Test("a listening stream that is never answered costs its setup timeout, not an hour, and the session goes on")
        func silentListeningStream() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let servers = try CommandLineSupport.temporaryDirectory()
            let port = try TestSupport.freePort()
            try CommandLineSupport.write(
                """
                target:
                  transport: http
                  command: [python3, "\(TestSupport.fixtures)/hostile_server.py", hang-get, --http, "\(port)"]
                  url: "http://127.0.0.1:\(port)/mcp"
                  cwd: "\(servers)"
                load: { vus: 2, iterations: 2 }
                session: { listen: true, setupTimeout: 3s }
                steps: [list_tools]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out", "-q"], in: directory)
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
            #expect(result.totals.failures.total == 0 && result.totals.attempts == 4)
            #expect(result.protocolTraffic.listeningStreamsRefused == 2)
            try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).isEmpty }
        }

        @Test("mcpload killed with SIGKILL mid-run takes its servers with it: stdio, and HTTP started with command")
        func killedOutright() async throws {
            for http in [false, true] {
                let directory = try CommandLineSupport.temporaryDirectory()
                let servers = try CommandLineSupport.temporaryDirectory()
                let script = TestSupport.fixtures + "/hostile_server.py"
                let port = try TestSupport.freePort()
                let target =
                    http
                    ? """
                    target: { transport: http, command: [python3, "\(script)", polite, --http, "\(port)"], \
                    url: "http://127.0.0.1:\(port)/mcp", cwd: "\(servers)" }
                    """
                    : """
                    target: { command: [python3, "\(script)", ignore-term], cwd: "\(servers)" }
                    """
                try CommandLineSupport.write(
                    target + "\nload: { vus: 3, duration: 5m }\nsteps: [list_tools]\n", to: directory + "/s.yaml")
                let process = try CommandLineSupport.start(["run", "s.yaml", "--out", "out"], in: directory)
                // Sessions are open: every server was started, and so announced to the guardian.
                let expected = http ? 1 : 3
                try await CommandLineSupport.waitUntil { initialized(in: servers) >= expected }
                #expect(TestSupport.processes(in: servers).count >= expected)
                kill(process.processIdentifier, SIGKILL)
                await CommandLineSupport.waitForExit(process)
                // mcpload could not clean up; its guardian, told of every server, does.
                try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).isEmpty }
                #expect(TestSupport.processes(in: servers).isEmpty, "a server outlived mcpload (http: \(http))")
            }
        }

        private func initialized(in directory: String) -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return Set(names.filter { $0.hasPrefix("initialized-") }).count
        }

        @Test("SIGHUP and SIGQUIT drain like Ctrl-C: results written, exit 3, servers that ignore SIGTERM stopped")
        func hangUp() async throws {
            for signal in [SIGHUP, SIGQUIT] {
                let directory = try CommandLineSupport.temporaryDirectory()
                let servers = try CommandLineSupport.temporaryDirectory()
                let script = TestSupport.fixtures + "/hostile_server.py"
                try CommandLineSupport.write(
                    """
                    target: { command: [python3, "\(script)", ignore-term], cwd: "\(servers)" }
                    load: { vus: 2, duration: 5m }
                    session: { shutdownGrace: 200ms }
                    steps: [list_tools]
                    """, to: directory + "/s.yaml")
                let process = try CommandLineSupport.start(["run", "s.yaml", "--out", "out"], in: directory)
                try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).count == 2 }
                kill(process.processIdentifier, signal)
                await CommandLineSupport.waitForExit(process)
                #expect(process.terminationStatus == 3)
                let result = try RunResult.decode(
                    from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
                #expect(result.status == .aborted)
                try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).isEmpty }
                #expect(TestSupport.processes(in: servers).isEmpty)
            }
        }
    }
}
