import Foundation
import MCPLoadCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// OAuth identities against the demo's own authorization server, from the outside: mcpload and
/// the demo as real processes on loopback. The demo counts what its token endpoint and its
/// resource did (`/metrics`), so a run's counts are checked exactly against the server's.
@Suite("OAuth identities end to end", .timeLimit(.minutes(3)))
struct OAuthEndToEndTests {
    /// A demo server with `--oauth` and `arguments`, running for `body`, stopped by its PID after.
    static func withDemo<Value>(
        _ arguments: [String], _ body: (_ url: String, _ directory: String) async throws -> Value
    ) async throws -> Value {
        let directory = try CommandLineSupport.temporaryDirectory()
        let port = try TestSupport.freePort()
        let server = try CommandLineSupport.start(
            ["demo-server", "--http", "\(port)", "--json-response", "--oauth"] + arguments, in: directory)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await CommandLineSupport.waitUntil { TestSupport.listens(port) }
        return try await body("http://127.0.0.1:\(port)/mcp", directory)
    }

    /// The demo's own counts: `demo_oauth_events_total{event=…}`.
    static func serverCounts(_ url: String) async throws -> [String: Int] {
        let metrics = URL(string: url.replacingOccurrences(of: "/mcp", with: "/metrics"))
        let (data, _) = try await URLSession.shared.data(from: try #require(metrics))
        var counts: [String: Int] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("demo_oauth_events_total{event=\"") {
            let rest = line.dropFirst("demo_oauth_events_total{event=\"".count)
            guard let quote = rest.firstIndex(of: "\""),
                let value = Int(rest[quote...].split(separator: " ").last ?? "")
            else { continue }
            counts[String(rest[..<quote])] = value
        }
        return counts
    }

    static func run(
        _ scenario: String, in directory: String, _ extra: [String] = []
    ) async throws -> (
        CommandLineSupport.Finished, RunResult
    ) {
        try CommandLineSupport.write(scenario, to: directory + "/s.yaml")
        let finished = try await CommandLineSupport.mcpload(
            ["run", "s.yaml", "--out", "out", "-q"] + extra, in: directory)
        let data = try #require(
            FileManager.default.contents(atPath: directory + "/out/result.json"), "\(finished.output)\(finished.errors)"
        )
        return (finished, try RunResult.decode(from: data))
    }

    static func oauth(_ url: String, identities: Int, vus: Int, duration: String, extra: String = "") -> String {
        """
        target: { transport: http, url: "\(url)" }
        load: { vus: \(vus), duration: \(duration) }
        auth:
          identities: \(identities)
          oauth:
            clients: { count: \(identities), id: "client-{{identity}}", secret: "${MCPLOAD_DEMO_OAUTH_SECRET:-demo-oauth-secret}-{{identity}}" }
        \(extra)
        steps:
          - call_tool: { name: echo, arguments: { text: "hi {{vu}}" }, expect: { contains: "hi" } }
        """
    }

    @Test("discovery from the 401, tokens refreshed before expiry several times: 0 failures, counts equal the server's")
    func proactive() async throws {
        try await Self.withDemo(["--oauth-clients", "6", "--token-ttl", "2s"]) { url, directory in
            let scenario = Self.oauth(
                url, identities: 6, vus: 12, duration: "5s", extra: "    refresh: { before: 50%, jitter: true }")
            let (finished, result) = try await Self.run(scenario, in: directory)
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            #expect(result.totals.failures.total == 0, "\(result.totals.failures.byCode)")
            let auth = try #require(result.auth)
            let server = try await Self.serverCounts(url)
            // One first token per identity, then refreshes: each identity's tokens lived 2 s in a
            // run of 5 s, so every identity refreshed at least twice, and only proactively.
            #expect(auth.tokenReasons["initial"] == 6)
            #expect(auth.tokenReasons["proactive"] ?? 0 >= 12, "\(auth.tokenReasons)")
            #expect(auth.tokenReasons["rejected"] == nil)
            #expect(auth.tokenRequests == UInt64(server["client_credentials"] ?? -1))
            #expect(auth.rejected == 0 && server["rejected_invalid"] == nil)
            #expect(auth.tokenLatency.count == auth.tokenRequests)
            #expect(
                finished.output.contains("auth: oauth, 6 identities; token endpoint: \(auth.tokenRequests) requests"))
        }
    }

    @Test("naive clients: every expiry is a 401 burst, each client refreshes on its own; counts exact both sides")
    func naive() async throws {
        try await Self.withDemo(["--oauth-clients", "3", "--token-ttl", "1s"]) { url, directory in
            let scenario = Self.oauth(url, identities: 3, vus: 6, duration: "3s", extra: "    mode: naive")
            // Verbose: every log line is an output that must hold no secret either.
            let (finished, result) = try await Self.run(scenario, in: directory, ["-v"])
            let auth = try #require(result.auth)
            let server = try await Self.serverCounts(url)
            #expect(auth.mode == "oauth (naive)")
            // Every client holds its own token: six first tokens for three identities.
            #expect(auth.tokenReasons["initial"] == 6)
            #expect(auth.rejected > 0)
            #expect(auth.rejected == UInt64(server["rejected_invalid"] ?? -1))
            // Every refusal was answered with a token request of the client's own, and the
            // request sent once more succeeded.
            #expect(auth.tokenReasons["rejected"] == auth.rejected)
            #expect(auth.retriesAfterReauth == auth.rejected)
            #expect(auth.tokenRequests == UInt64(server["client_credentials"] ?? -1))
            let step = try #require(result.steps.first)
            #expect(step.failures.byCode[.auth]?["401"] == auth.rejected)
            #expect(step.failures.total == auth.rejected, "\(step.failures.byCode)")
            // The demo echoes the expired token it refused: no output holds one.
            for output in CommandLineSupport.everyOutput(of: finished, files: directory + "/out") {
                #expect(!output.contains("dat_"), "a token escaped")
                #expect(!output.contains("demo-oauth-secret-"), "a client secret escaped")
            }
            #expect(step.failures.examples.first?.message.contains("[redacted]") == true)
        }
    }

    @Test(
        "a token endpoint that fails a share of requests: every failure counted by its OAuth code, equal to the server's"
    )
    func tokenEndpointFaults() async throws {
        try await Self.withDemo(["--oauth-clients", "4", "--token-ttl", "1s", "--token-error-rate", "0.3"]) {
            url, directory in
            let scenario = Self.oauth(
                url, identities: 4, vus: 4, duration: "3s",
                extra: "    tokenEndpoint: \"\(url.replacingOccurrences(of: "/mcp", with: "/token"))\"")
            let (_, result) = try await Self.run(scenario, in: directory)
            let auth = try #require(result.auth)
            let server = try await Self.serverCounts(url)
            #expect(auth.tokenFailures["temporarily_unavailable"] == UInt64(server["injected_503"] ?? -1))
            #expect(auth.tokenFailures["temporarily_unavailable"] ?? 0 > 0)
            #expect(auth.tokenRequests == UInt64((server["client_credentials"] ?? 0) + (server["injected_503"] ?? 0)))
        }
    }

    @Test("a tool that needs more scope: one step-up per identity, then every call passes")
    func stepUp() async throws {
        try await Self.withDemo(["--oauth-clients", "2", "--tool-scope", "add=mcp:admin"]) { url, directory in
            let scenario = """
                target: { transport: http, url: "\(url)" }
                load: { vus: 4, iterations: 3 }
                auth:
                  identities: 2
                  oauth:
                    clients: { count: 2, id: "client-{{identity}}", secret: "demo-oauth-secret-{{identity}}" }
                steps:
                  - call_tool: { name: add, arguments: { a: 1, b: 2 } }
                """
            let (finished, result) = try await Self.run(scenario, in: directory)
            let auth = try #require(result.auth)
            let server = try await Self.serverCounts(url)
            #expect(auth.tokenReasons["step_up"] == 2, "\(auth.tokenReasons)")
            #expect(auth.insufficientScope == UInt64(server["insufficient_scope"] ?? -1))
            #expect(result.steps.first?.successes == 12, "\(finished.output)")
        }
    }

    @Test(
        "seeded refresh tokens are rotated; used again by a second run, the server revokes them and the run cannot start"
    )
    func refreshRotationAndReuse() async throws {
        try await Self.withDemo(["--oauth-clients", "3", "--token-ttl", "1s"]) { url, directory in
            let scenario = """
                target: { transport: http, url: "\(url)" }
                load: { vus: 3, duration: 2500ms }
                auth:
                  oauth:
                    grant: refresh_token
                    clients: { count: 3, id: "client-{{identity}}", refreshToken: "demo-oauth-secret-refresh-{{identity}}" }
                steps: [ping]
                """
            let (first, result) = try await Self.run(scenario, in: directory)
            #expect(first.status == 0, "\(first.output)\(first.errors)")
            let auth = try #require(result.auth)
            #expect(auth.tokenFailureCount == 0, "\(auth.tokenFailures)")
            #expect(auth.refreshes >= 3)
            let served = try await Self.serverCounts(url)
            #expect(UInt64(served["refresh_token"] ?? -1) == auth.tokenRequests)

            for output in CommandLineSupport.everyOutput(of: first, files: directory + "/out") {
                #expect(!output.contains("drt_") && !output.contains("dat_"), "a token escaped")
                #expect(!output.contains("demo-oauth-secret-refresh"), "a seeded refresh token escaped")
            }
            let (second, again) = try await Self.run(scenario, in: directory)
            #expect(second.status != 0)
            #expect(again.status == .notStarted)
            #expect(again.statusReason?.contains("invalid_grant") == true, "\(again.statusReason ?? "")")
            let revoked = try await Self.serverCounts(url)
            #expect(revoked["refresh_reused"] == 3)
        }
    }

    @Test(
        "the token storm, naive against single-flight: the table, and exactly one token request per client or per identity per revocation"
    )
    func storm() async throws {
        let directory = try CommandLineSupport.temporaryDirectory()
        let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/token-storm.yaml").path
        let finished = try await CommandLineSupport.mcpload(
            ["run", scenario, "--duration", "5s", "--out", "out", "-q"], in: directory)
        #expect(finished.output.contains("authentication (the token endpoint apart from MCP latency):"))
        let naive = try RunResult.decode(
            from: try #require(FileManager.default.contents(atPath: directory + "/out/naive/result.json")))
        let proactive = try RunResult.decode(
            from: try #require(FileManager.default.contents(atPath: directory + "/out/proactive/result.json")))
        let naiveAuth = try #require(naive.auth)
        let proactiveAuth = try #require(proactive.auth)
        // Naive: every client is refused once per revocation and asks for a token of its own.
        #expect(naiveAuth.rejected > 0 && naiveAuth.rejected % 60 == 0, "\(naiveAuth.rejected)")
        #expect(naiveAuth.tokenReasons["rejected"] == naiveAuth.rejected)
        // Single-flight: one token request per identity per revocation, however many of its
        // clients were refused (a client that sends after the new token came is not refused).
        let renewals = try #require(proactiveAuth.tokenReasons["rejected"])
        #expect(renewals > 0 && renewals % 10 == 0 && renewals <= proactiveAuth.rejected, "\(renewals)")
        #expect(naiveAuth.tokenReasons["initial"] == 60 && proactiveAuth.tokenReasons["initial"] == 10)
        #expect(naiveAuth.peakTokenRequestsPerSecond > proactiveAuth.peakTokenRequestsPerSecond)
        // Every refused request was sent again and went through.
        #expect(naive.totals.failures.total == naiveAuth.rejected)
        #expect(naiveAuth.retriesAfterReauth == naiveAuth.rejected)
        #expect(proactiveAuth.retriesAfterReauth == proactiveAuth.rejected)
    }

    @Test(
        "a tenant's data in another tenant's answer is cross_identity, exactly as often as the server bled it; never cross_session"
    )
    func tenantBleed() async throws {
        try await Self.withDemo(["--oauth-clients", "2", "--tenant-bleed"]) { url, directory in
            let scenario = """
                target: { transport: http, url: "\(url)" }
                load: { vus: 4, iterations: 10 }
                auth:
                  identities: 2
                  oauth:
                    clients: { count: 2, id: "client-{{identity}}", secret: "demo-oauth-secret-{{identity}}" }
                leaks: { detectors: [email], canaries: per-client }
                steps:
                  - call_tool: { name: echo, arguments: { text: "note {{canary}}" } }
                thresholds: ["leaks.cross_identity == 0"]
                """
            let (finished, result) = try await Self.run(scenario, in: directory)
            #expect(finished.status == 1, "the threshold fails")
            let canaries = try #require(result.leaks?.detectors[.canary])
            let server = try await Self.serverCounts(url)
            let bled = try #require(server["tenant_bleed"])
            #expect(bled > 0)
            #expect(canaries.crossIdentity == UInt64(bled))
            // The demo's bug returns another tenant's note only: clients 1 and 3 share an identity.
            #expect(canaries.crossSession == 0)
            #expect(finished.output.contains("cross-identity"))
        }
    }

    @Test(
        "private_key_jwt: clients sign their assertions with their own keys; a key the server does not know is refused")
    func privateKeyJWT() async throws {
        try await Self.withDemo(["--oauth-clients", "3", "--token-ttl", "1s"]) { url, directory in
            try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true)
            for index in 1...3 {
                let key = try await CommandLineSupport.mcpload(["demo-server", "--print-client-key", "\(index)"])
                #expect(key.status == 0 && key.output.contains("BEGIN PRIVATE KEY"))
                try CommandLineSupport.write(key.output, to: directory + "/keys/client-\(index).pem")
            }
            let scenario = """
                target: { transport: http, url: "\(url)" }
                load: { vus: 3, duration: 2500ms }
                auth:
                  oauth:
                    clientAuth: private_key_jwt
                    clients: { count: 3, id: "client-{{identity}}", key: "keys/client-{{identity}}.pem" }
                steps: [ping]
                """
            let (finished, result) = try await Self.run(scenario, in: directory)
            #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
            let auth = try #require(result.auth)
            #expect(auth.tokenFailureCount == 0 && auth.refreshes >= 3, "\(auth.tokenReasons) \(auth.tokenFailures)")
            let server = try await Self.serverCounts(url)
            #expect(UInt64(server["client_credentials"] ?? -1) == auth.tokenRequests)
            for output in CommandLineSupport.everyOutput(of: finished, files: directory + "/out") {
                #expect(!output.contains("PRIVATE KEY"), "a private key escaped")
            }

            // Client 2's key presented as client 1's: the signature does not verify.
            let wrong = scenario.replacingOccurrences(of: "vus: 3", with: "vus: 1")
                .replacingOccurrences(of: "count: 3", with: "count: 1")
                .replacingOccurrences(of: "keys/client-{{identity}}.pem", with: "keys/client-2.pem")
            let (_, refused) = try await Self.run(wrong, in: directory)
            #expect(refused.status == .notStarted)
            #expect(refused.statusReason?.contains("invalid_client") == true, "\(refused.statusReason ?? "")")
        }
    }

    @Test(
        "one clients file for both sides: the demo's --oauth-clients-file and the scenario's clients.file, secrets from the environment"
    )
    func clientsFile() async throws {
        let directory = try CommandLineSupport.temporaryDirectory()
        let port = try TestSupport.freePort()
        let secrets = ["TENANT_A_SECRET": "a-\(UUID().uuidString)", "TENANT_B_SECRET": "b-\(UUID().uuidString)"]
        try CommandLineSupport.write(
            """
            - { id: tenant-a, secret: "${TENANT_A_SECRET}" }
            - { id: tenant-b, secret: "${TENANT_B_SECRET}" }
            """, to: directory + "/clients.yaml")
        let server = try CommandLineSupport.start(
            ["demo-server", "--http", "\(port)", "--json-response", "--oauth", "--oauth-clients-file", "clients.yaml"],
            in: directory, environment: secrets)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await CommandLineSupport.waitUntil { TestSupport.listens(port) }
        try CommandLineSupport.write(
            """
            target: { transport: http, url: "http://127.0.0.1:\(port)/mcp" }
            load: { vus: 4, iterations: 5 }
            auth: { identities: 2, oauth: { clientAuth: client_secret_post, clients: { file: clients.yaml } } }
            steps:
              - call_tool: { name: echo, arguments: { text: "tenant {{identity}}" }, expect: { contains: "tenant {{identity}}" } }
            """, to: directory + "/s.yaml")
        let finished = try await CommandLineSupport.mcpload(
            ["run", "s.yaml", "--out", "out", "-q"], in: directory, environment: secrets)
        #expect(finished.status == 0, "\(finished.output)\(finished.errors)")
        let result = try RunResult.decode(
            from: try #require(FileManager.default.contents(atPath: directory + "/out/result.json")))
        #expect(result.auth?.tokenReasons["initial"] == 2)
        #expect(result.steps.first?.successes == 20)
        for output in CommandLineSupport.everyOutput(of: finished, files: directory + "/out") {
            for secret in secrets.values { #expect(!output.contains(secret)) }
        }
    }

    @Test("bad auth input is refused before any load: a missing variable, too few clients")
    func badInput() async throws {
        let directory = try CommandLineSupport.temporaryDirectory()
        try CommandLineSupport.write(
            """
            target: { transport: http, url: "http://127.0.0.1:9/mcp" }
            load: { vus: 3, iterations: 1 }
            auth: { oauth: { clients: { count: 2, id: "c{{identity}}", secret: "${NOT_SET_ANYWHERE}" } } }
            steps: [ping]
            """, to: directory + "/s.yaml")
        let finished = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out"], in: directory)
        #expect(finished.status == 2)
        #expect(finished.errors.contains("auth.oauth.clients.count is 2 for 3 identities"), "\(finished.errors)")
    }
}
