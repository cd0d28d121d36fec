import Testing

@testable import MCPLoadCore

/// `auth:` in a scenario: every key with its default and a located error, and the credentials
/// resolved before any load.
@Suite("Auth scenario")
struct AuthScenarioTests {
    static let base = """
        target: { transport: http, url: "http://127.0.0.1:1/mcp" }
        steps: [ping]

        """

    @Test("an OAuth section with every key parses into its settings")
    func fullSection() throws {
        let scenario = try ScenarioText.parse(
            Self.base + """
                auth:
                  identities: 50
                  oauth:
                    issuer: "http://127.0.0.1:9/auth"
                    grant: client_credentials
                    clientAuth: client_secret_post
                    clients: { count: 60, id: "client-{{identity}}", secret: "${S:-demo}-{{identity}}" }
                    scope: "mcp:tools mcp:admin"
                    refresh: { before: 30%, jitter: false }
                    mode: naive
                    timeout: 2s
                    stepUps: 1
                """)
        let auth = try #require(scenario.auth)
        #expect(auth.identities == 50)
        let oauth = try #require(auth.oauth)
        #expect(oauth.discovery == .issuer("http://127.0.0.1:9/auth"))
        #expect(oauth.clientAuthentication == .post)
        #expect(oauth.scopes == ["mcp:tools", "mcp:admin"])
        #expect(oauth.refresh.refreshBefore == 0.3)
        #expect(!oauth.refresh.jitter)
        #expect(oauth.naive && !oauth.refresh.proactive)
        #expect(oauth.timeout == .seconds(2))
        #expect(oauth.refresh.maximumStepUps == 1)
        guard case .generated(let count, _) = oauth.clients else {
            Issue.record("clients: \(oauth.clients)")
            return
        }
        #expect(count == 60)
    }

    @Test(
        "bad auth sections are refused with the line and what to write",
        arguments: [
            (
                "auth: { oauth: { clients: [{ id: a, secret: b }], grant: password } }",
                "s.yaml:3: auth.oauth.grant 'password' is not one of"
            ),
            (
                "auth: { tokens: { file: t.txt }, oauth: { clients: [{ id: a }] } }",
                "s.yaml:3: auth takes 'tokens' or 'oauth', not both"
            ),
            ("auth: { oauth: { scope: x } }", "s.yaml:3: auth.oauth needs 'clients'"),
            (
                "auth: { oauth: { clients: [{ id: a, secret: b }], refresh: { before: 120% } } }",
                "s.yaml:3: auth.oauth.refresh.before is the share"
            ),
            (
                "auth: { oauth: { clients: [{ id: a, secret: b }], discover: false } }",
                "s.yaml:3: auth.oauth: without discovery"
            ),
            (
                "auth: { oauth: { clients: [{ id: a, secret: b }], tokenEndpoint: ftp://x } }",
                "s.yaml:3: auth.oauth.tokenEndpoint must be an http:// or https:// URL"
            ),
            (
                "auth: { oauth: { clients: [{ id: a, secert: b }] } }",
                "s.yaml:3: unknown key 'secert' in auth.oauth.clients[] (did you mean 'secret'?)"
            ),
            ("auth: { identities: 0, tokens: { file: t } }", "s.yaml:3: auth.identities must be at least 1"),
            (
                "auth: { oauth: { clients: { id: a } } }",
                "s.yaml:3: auth.oauth.clients: give 'file', a list, or 'count'"
            ),
        ])
    func badSections(yaml: String, expected: String) {
        let message = ScenarioText.error(Self.base + yaml) ?? "parsed"
        #expect(message.hasPrefix(expected), "\(message)")
    }

    @Test("auth needs HTTP: a stdio target is refused")
    func stdioRefused() {
        let message = ScenarioText.error(
            "target: { builtin: demo }\nsteps: [ping]\nauth: { tokens: { file: t } }\n")
        #expect(message?.contains("'auth' sends bearer tokens over HTTP") == true)
    }

    @Test("generated clients fill in {{identity}} and ${VAR}, with a fallback when it is unset")
    func generatedClients() throws {
        let scenario = try ScenarioText.parse(
            Self.base
                + #"auth: { oauth: { tokenEndpoint: "http://x/token", clients: { count: 3, id: "c-{{identity}}", secret: "${S:-demo}-{{identity}}" } } }"#
        )
        let settings = try #require(scenario.auth)
        let resolved = try ResolvedAuth.resolve(settings, identities: 3, environment: [:]) { _ in "" }
        #expect(resolved.clients.map(\.id) == ["c-1", "c-2", "c-3"])
        #expect(resolved.clients.map(\.secret) == ["demo-1", "demo-2", "demo-3"])
        let fromEnvironment = try ResolvedAuth.resolve(settings, identities: 2, environment: ["S": "real"]) { _ in "" }
        #expect(fromEnvironment.clients.map(\.secret) == ["real-1", "real-2"])
        #expect(fromEnvironment.secrets == ["real-1", "real-2"])
        #expect(throws: AuthSetupError.self) {
            try ResolvedAuth.resolve(settings, identities: 4, environment: [:]) { _ in "" }
        }
    }

    @Test("a clients file and a token file are read, checked against the identities, and every value is a secret")
    func files() throws {
        let scenario = try ScenarioText.parse(
            Self.base
                + #"auth: { identities: 2, oauth: { tokenEndpoint: "http://x/token", clients: { file: "${DIR}/c.yaml" } } }"#
        )
        let settings = try #require(scenario.auth)
        let file = """
            - { id: one, secret: "${ONE_SECRET}" }
            - { id: two, secret: s2, refreshToken: r2 }
            """
        let resolved = try ResolvedAuth.resolve(
            settings, identities: 2, environment: ["DIR": "/d", "ONE_SECRET": "s1"]
        ) {
            path in
            #expect(path == "/d/c.yaml")
            return file
        }
        #expect(
            resolved.clients == [.init(id: "one", secret: "s1"), .init(id: "two", secret: "s2", refreshToken: "r2")])
        #expect(Set(resolved.secrets) == ["s1", "s2", "r2"])
        do {
            _ = try ResolvedAuth.resolve(settings, identities: 2, environment: ["DIR": "/d"]) { _ in file }
            Issue.record("an unset variable was accepted")
        } catch {
            #expect(error.description.contains("${ONE_SECRET}"))
        }

        let tokens = try ScenarioText.parse(Self.base + "auth: { tokens: { file: t.txt } }")
        let tokenSettings = try #require(tokens.auth)
        let pool = try ResolvedAuth.resolve(tokenSettings, identities: 2, environment: ["TENANT_B": "tok-bbbb"]) { _ in
            "# one per identity\ntok-aaaa\n\n  ${TENANT_B}  \n"
        }
        #expect(pool.tokens == ["tok-aaaa", "tok-bbbb"])
        #expect(throws: AuthSetupError.self) {
            try ResolvedAuth.resolve(tokenSettings, identities: 3, environment: [:]) { _ in "tok-aaaa\ntok-bbbb" }
        }
    }

    @Test("thresholds read the token endpoint's latency and the auth figures")
    func thresholds() throws {
        let scenario = try ScenarioText.parse(
            Self.base + """
                auth: { tokens: { file: t } }
                thresholds: ["p99(token) < 300ms", "auth.refreshes >= 1", "errors.auth.401 == 0", "errors.token_endpoint == 0"]
                """)
        #expect(
            scenario.thresholds.map(\.metric) == [
                .latency(.percentile(99), of: .tokenEndpoint), .auth(.refreshes),
                .failures(.auth, code: 401, step: nil),
                .failures(.tokenEndpoint, code: nil, step: nil),
            ])
        #expect(
            ScenarioText.error(Self.base + "thresholds: [\"auth.nope > 1\"]")?.contains("unknown auth figure") == true)
    }

    @Test("{{identity}} is the client's identity with auth:, the client itself without; a number alone")
    func identityTemplate() throws {
        let template = try Template(parsing: "tenant-{{identity}}")
        #expect(template.render(in: TemplateContext(virtualClient: 7, iteration: 1, identity: 2)) == "tenant-2")
        #expect(template.render(in: TemplateContext(virtualClient: 7, iteration: 1)) == "tenant-7")
        #expect(
            try Template(parsing: "{{identity}}").renderJSON(
                in: TemplateContext(virtualClient: 3, iteration: 1, identity: 1)) == .int(1))
        #expect(
            ScenarioText.error(
                Self.base.replacingOccurrences(
                    of: "steps: [ping]",
                    with: #"steps: [{ call_tool: { name: echo, arguments: { text: "{{identity}}" } } }]"#)) == nil)
    }
}
