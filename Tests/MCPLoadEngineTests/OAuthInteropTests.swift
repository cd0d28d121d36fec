import Foundation
import MCPLoadCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessTests {
    /// OAuth against peers no one here wrote: Authlib's authorization server (from PyPI) in front
    /// of a resource server on the official Python MCP SDK with its own auth settings (its 401
    /// challenge, its protected resource metadata, tokens checked by introspection).
    @Suite(
        "OAuth interop with Authlib and the Python SDK",
        .enabled(if: TestSupport.pythonVenv != nil, "run scripts/test (it creates .venv with the Python peers)"),
        .timeLimit(.minutes(3)))
    struct OAuthInteropTests {
        private var venv: String { TestSupport.pythonVenv ?? "" }

        @Test(
            "discovery through the SDK's challenge, 10 identities, tokens expiring mid-run: 0 failures, refreshes exact"
        )
        func authlibAndPythonSDK() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let issuerPort = try TestSupport.freePort()
            let resourcePort = try TestSupport.freePort()
            let python = venv + "/bin/python"
            let issuer = try CommandLineSupport.start(
                [
                    "\(TestSupport.fixtures)/authlib_server.py", "--port", "\(issuerPort)", "--clients", "10", "--ttl",
                    "2",
                ], in: directory, executable: python)
            let resource = try CommandLineSupport.start(
                [
                    "\(TestSupport.fixtures)/python_sdk_server.py", "--http", "\(resourcePort)", "--json", "--auth",
                    "http://127.0.0.1:\(issuerPort)", "--rs-secret", "interop-secret-rs",
                ], in: directory, executable: python)
            defer {
                // Stopped by PID, and surely: a child started from a test thread may inherit a
                // mask that blocks SIGTERM, which Python's servers would then never see.
                for process in [issuer, resource] {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
            }
            try await CommandLineSupport.waitUntil {
                TestSupport.listens(issuerPort) && TestSupport.listens(resourcePort)
            }
            try CommandLineSupport.write(
                """
                target: { transport: http, url: "http://127.0.0.1:\(resourcePort)/mcp" }
                load: { vus: 20, duration: 6s }
                session: { setupTimeout: 30s }
                auth:
                  identities: 10
                  oauth:
                    clients: { count: 10, id: "client-{{identity}}", secret: "${INTEROP_SECRET}-{{identity}}" }
                    refresh: { before: 50% }
                steps:
                  - call_tool: { name: echo, arguments: { text: "hi {{vu}}" }, expect: { contains: "hi {{vu}}" } }
                thresholds: ["errors == 0", "auth.token_failures == 0"]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "out", "-q"], in: directory,
                environment: ["INTEROP_SECRET": "interop-secret"])
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            let result = try RunResult.decode(
                from: try #require(FileManager.default.contents(atPath: directory + "/out/result.json")))
            #expect(result.totals.failures.total == 0, "\(result.totals.failures.byCode)")
            let auth = try #require(result.auth)
            // Tokens lived 2 s in a run of 6: every identity refreshed, before expiry, mid-run.
            #expect(auth.tokenReasons["initial"] == 10)
            #expect(auth.tokenReasons["proactive"] ?? 0 >= 20, "\(auth.tokenReasons)")
            #expect(auth.rejected == 0)
            let stats = try await URLSession.shared.data(
                from: try #require(URL(string: "http://127.0.0.1:\(issuerPort)/stats")))
            let issued = try JSONSerialization.jsonObject(with: stats.0) as? [String: Int]
            #expect(issued?["issued"] == Int(auth.tokenRequests), "Authlib issued \(issued ?? [:])")
            for output in CommandLineSupport.everyOutput(of: finished, files: directory + "/out") {
                #expect(!output.contains("interop-secret-"), "a client secret escaped")
            }
        }
    }
}
