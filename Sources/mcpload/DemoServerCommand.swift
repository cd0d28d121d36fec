import ArgumentParser
import Foundation
import MCPLoadCore
import MCPLoadDemoServer

struct DemoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Run the built-in MCP demo server (tools echo, add, slow, fail, ask_client) with fault knobs.")

    @Flag(help: "Serve MCP over stdin/stdout.")
    var stdio = false

    @Option(help: "Serve MCP over Streamable HTTP at http://HOST:PORT/mcp (0 picks a free port, printed on stdout).")
    var http: Int?

    @Option(help: "Address to bind with --http.")
    var host = "127.0.0.1"

    @Flag(help: "With --http: answer with application/json instead of SSE streams.")
    var jsonResponse = false

    @Flag(help: "With --http: no sessions, every request stands alone.")
    var stateless = false

    @Option(help: "With --http: require 'Authorization: Bearer <value of this environment variable>' (401 otherwise).")
    var requireBearerEnv: String?

    @Flag(
        help: """
            With --http: require OAuth tokens from the demo's own authorization server (POST /token, \
            metadata under /.well-known); clients client-1…N, secrets '<$MCPLOAD_DEMO_OAUTH_SECRET or \
            demo-oauth-secret>-i'.
            """)
    var oauth = false

    @Option(help: "Print the private key (PEM) of the demo's OAuth client I for private_key_jwt, and exit.")
    var printClientKey: Int?

    @Option(help: "With --oauth: how many clients the authorization server knows.")
    var oauthClients = 10

    @Option(
        help:
            "With --oauth: the clients as a YAML list of { id, secret } (values may be ${VAR}), instead of client-1…N.")
    var oauthClientsFile: String?

    @Option(help: "With --oauth: how long an access token lives (e.g. 60s).")
    var tokenTtl = "60s"

    @Flag(help: "With --oauth: token answers carry refresh tokens, rotated on use (reuse revokes the family).")
    var refreshTokens = false

    @Option(help: "With --oauth: a tool that needs its own scope, e.g. add=mcp:admin (403 insufficient_scope).")
    var toolScope: [String] = []

    @Option(help: "With --oauth: delay added to every token request (e.g. 50ms).")
    var tokenLatency: String?

    @Option(help: "With --oauth: answer this fraction of token requests 503 temporarily_unavailable (0...1).")
    var tokenErrorRate: Double = 0

    @Option(help: "With --oauth: revoke every access token at each multiple of this (a key rotation), e.g. 5s.")
    var revokeTokensEvery: String?

    @Option(help: "With --oauth: work on at most N token requests at once; the rest queue (a small token service).")
    var tokenConcurrency: Int?

    @Option(
        help:
            "With --http: close this fraction of tools/call SSE answers before the answer (resumable with Last-Event-ID)."
    )
    var cutStreamRate: Double = 0

    @Flag(help: "With --http: exit when stdin closes (how mcpload stops the server it started).")
    var exitOnStdinEof = false

    @Option(help: "With --http: name this replica in an Mcp-Replica header on every answer (behind a load balancer).")
    var replica: String?

    @Flag(help: "With --http: a session-leak bug: closed sessions are never freed (64 KiB each).")
    var leakSessions = false

    @Flag(
        help: "With --http: a session-leak bug: sessions with a refused request (--status-rate) are kept when closed.")
    var leakRefused = false

    @Flag(help: "With --http: print the legacy HTTP+SSE stream's URL (/sse) as where it listens, instead of /mcp.")
    var announceSSE = false

    @Option(help: "With --http: a session's Nth request after initialize gets 404 (expired).")
    var expireSessionsAfter: Int?

    @Option(help: "With --http: refuse new sessions (503) beyond N live ones.")
    var maxSessions: Int?

    @Option(
        help:
            "With --http: answer this fraction of requests with an HTTP status and Retry-After, e.g. 429:0.1 (repeatable)."
    )
    var statusRate: [String] = []

    @Option(help: "Delay added to every request but initialize (e.g. 5ms).")
    var latency: String?

    @Option(help: "Random extra delay, uniform in 0...JITTER.")
    var jitter: String?

    @Option(help: "Fraction of tools/call answered with JSON-RPC error -32603 (0...1), deterministic.")
    var errorRate: Double = 0

    @Flag(help: "Handle one request at a time, like a naive stdio server.")
    var serial = false

    @Option(help: "Answer N requests, then exit(1) on the next one.")
    var crashAfter: Int?

    @Option(help: "Answer every Nth request with a malformed line instead.")
    var garbageEvery: Int?

    @Option(help: "stdio: answer every Nth request under an id the client never sent (a misrouted answer).")
    var misrouteEvery: Int?

    @Flag(help: "Write a log line to stderr for every request.")
    var stderrNoise = false

    @Flag(help: "Add a fake customer record (email, card, API key) to every tool result.")
    var leak = false

    @Flag(help: "A shared-cache bug: every echo also returns the previous echo's text, from any session.")
    var bleed = false

    @Flag(
        help: "With --oauth: a shared-cache bug: every echo also returns the last note another tenant (client) stored.")
    var tenantBleed = false

    @Flag(help: "List two extra tools with poisoned definitions (hidden instructions, a base64 blob, loose schemas).")
    var poison = false

    @Option(help: "A rug pull: after N sessions, tools/list answers with a changed, malicious echo definition.")
    var rugPull: Int?

    @Flag(help: "Act as a server from before MCP 2026-07-28: no server/discover, no stateless requests.")
    var preStateless = false

    func validate() throws {
        if printClientKey != nil { return }
        guard stdio != (http != nil) else {
            throw ValidationError("say which transport to serve: --stdio or --http PORT")
        }
        if let http, !(0...65535).contains(http) { throw ValidationError("--http: \(http) is not a port") }
        if let expireSessionsAfter, expireSessionsAfter < 1 {
            throw ValidationError("--expire-sessions-after must be at least 1")
        }
        if let maxSessions, maxSessions < 1 { throw ValidationError("--max-sessions must be at least 1") }
        _ = try statusFaults()
        guard (0...1).contains(cutStreamRate) else { throw ValidationError("--cut-stream-rate must be within 0...1") }
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be within 0...1") }
        if let crashAfter, crashAfter < 0 { throw ValidationError("--crash-after must be 0 or more") }
        if let garbageEvery, garbageEvery < 1 { throw ValidationError("--garbage-every must be at least 1") }
        if let misrouteEvery, misrouteEvery < 1 { throw ValidationError("--misroute-every must be at least 1") }
        if let rugPull, rugPull < 0 { throw ValidationError("--rug-pull must be 0 or more") }
        guard (0...1).contains(tokenErrorRate) else { throw ValidationError("--token-error-rate must be within 0...1") }
        guard (1...1_000_000).contains(oauthClients) else {
            throw ValidationError("--oauth-clients must be within 1...1000000")
        }
        _ = try oauthOptions()
        if oauth && http == nil {
            throw ValidationError("--oauth serves an authorization server over HTTP: add --http PORT")
        }
        for (flag, value) in [("--latency", latency), ("--jitter", jitter), ("--token-latency", tokenLatency)] {
            if let value, DurationText.parse(value) == nil {
                throw ValidationError("\(flag): bad duration '\(value)'; write e.g. 5ms")
            }
        }
    }

    func run() async throws {
        if let printClientKey {
            var oauth = DemoOAuthOptions()
            oauth.clients = max(oauthClients, printClientKey)
            if let base = ProcessInfo.processInfo.environment[DemoOAuthOptions.secretEnvironmentVariable], !base.isEmpty
            {
                oauth.secretBase = base
            }
            guard let pem = DemoClientKeys.pem(ofClient: printClientKey, options: oauth) else {
                throw ValidationError("--print-client-key: \(printClientKey) is not a client (1 or more)")
            }
            print(pem)
            return
        }
        let options = serverOptions()
        guard let port = http else {
            let status = await DemoServer.runStdio(options)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let httpOptions = try self.httpOptions(port: port)
        let host = self.host
        let exitOnStdinEof = self.exitOnStdinEof
        let announcedPath = announceSSE ? "/sse" : "/mcp"
        let serverOptions = options
        let serverHTTPOptions = httpOptions
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await DemoHTTPServer.run(serverOptions, http: serverHTTPOptions) { port in
                    // The line mcpload (ListeningAnnouncement) and scripts read to learn the
                    // port, written unbuffered.
                    FileHandle.standardOutput.write(
                        Data("mcpload demo-server listening on http://\(host):\(port)\(announcedPath)\n".utf8))
                }
            }
            if exitOnStdinEof {
                group.addTask { try await DemoServer.waitForStdinEOF() }
            }
            // Whichever ends first ends the server.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The fault knobs every transport shares.
    private func serverOptions() -> DemoServerOptions {
        var options = DemoServerOptions()
        options.latency = latency.flatMap(DurationText.parse) ?? .zero
        options.jitter = jitter.flatMap(DurationText.parse) ?? .zero
        options.errorRate = errorRate
        options.serial = serial
        options.crashAfter = crashAfter
        options.garbageEvery = garbageEvery
        options.misrouteEvery = misrouteEvery
        options.stderrNoise = stderrNoise
        options.leak = leak
        options.bleed = bleed
        options.tenantBleed = tenantBleed
        options.poison = poison
        options.rugPullAfter = rugPull
        options.preStateless = preStateless
        return options
    }

    /// The HTTP server's own knobs.
    private func httpOptions(port: Int) throws -> DemoHTTPOptions {
        var httpOptions = DemoHTTPOptions()
        httpOptions.host = host
        httpOptions.port = port
        httpOptions.jsonResponse = jsonResponse
        httpOptions.stateless = stateless
        httpOptions.expireSessionsAfter = expireSessionsAfter
        httpOptions.maxSessions = maxSessions
        httpOptions.statusFaults = try statusFaults()
        httpOptions.cutStreamRate = cutStreamRate
        httpOptions.replica = replica
        httpOptions.leakSessions = leakSessions
        httpOptions.leakRefused = leakRefused
        httpOptions.oauth = try oauthOptions()
        if let requireBearerEnv {
            guard let token = ProcessInfo.processInfo.environment[requireBearerEnv], !token.isEmpty else {
                throw ValidationError("--require-bearer-env: \(requireBearerEnv) is not set")
            }
            httpOptions.requiredBearerToken = token
        }
        return httpOptions
    }

    private func statusFaults() throws -> [DemoHTTPOptions.StatusFault] {
        try statusRate.map { text in
            let parts = text.split(separator: ":")
            guard parts.count == 2, let status = Int(parts[0]), (400...599).contains(status),
                let rate = Double(parts[1]), (0...1).contains(rate)
            else { throw ValidationError("--status-rate: '\(text)' is not CODE:RATE, e.g. 429:0.1") }
            return DemoHTTPOptions.StatusFault(status: status, rate: rate)
        }
    }

    /// The authorization server's options, when `--oauth` asks for one.
    private func oauthOptions() throws -> DemoOAuthOptions? {
        guard oauth else { return nil }
        var options = DemoOAuthOptions()
        options.clients = oauthClients
        if let oauthClientsFile {
            guard let text = try? String(contentsOfFile: oauthClientsFile, encoding: .utf8) else {
                throw ValidationError("--oauth-clients-file: cannot read \(oauthClientsFile)")
            }
            do {
                let clients = try ResolvedAuth.clients(
                    inFile: text, file: oauthClientsFile, environment: ProcessInfo.processInfo.environment)
                guard !clients.isEmpty else { throw ValidationError("--oauth-clients-file: no clients in it") }
                options.listedClients = clients.map { .init(id: $0.id, secret: $0.secret) }
            } catch let error as AuthSetupError {
                throw ValidationError("--oauth-clients-file: \(error.description)")
            }
        }
        guard let lifetime = DurationText.parse(tokenTtl), lifetime >= .seconds(1) else {
            throw ValidationError("--token-ttl: '\(tokenTtl)' is not a duration of 1s or more")
        }
        options.tokenLifetime = lifetime
        options.refreshTokens = refreshTokens
        options.tokenLatency = tokenLatency.flatMap(DurationText.parse) ?? .zero
        options.tokenErrorRate = tokenErrorRate
        if let revokeTokensEvery {
            guard let period = DurationText.parse(revokeTokensEvery), period >= .milliseconds(100) else {
                throw ValidationError(
                    "--revoke-tokens-every: '\(revokeTokensEvery)' is not a duration of 100ms or more")
            }
            options.revokeTokensEvery = period
        }
        if let tokenConcurrency {
            guard tokenConcurrency >= 1 else { throw ValidationError("--token-concurrency must be at least 1") }
            options.tokenConcurrency = tokenConcurrency
        }
        if let base = ProcessInfo.processInfo.environment[DemoOAuthOptions.secretEnvironmentVariable], !base.isEmpty {
            options.secretBase = base
        }
        for text in toolScope {
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains(" ") else {
                throw ValidationError("--tool-scope: '\(text)' is not TOOL=SCOPE, e.g. add=mcp:admin")
            }
            options.toolScopes[String(parts[0])] = String(parts[1])
        }
        return options
    }
}
