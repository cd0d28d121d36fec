import Yams

extension ScenarioParser {
    /// `auth: { identities: 50, tokens: { file: … } }` or `auth: { identities: 50, oauth: { … } }`.
    func parseAuth(_ node: Node, target: TargetSpec) throws(ScenarioError) -> AuthSettings {
        let fields = try mapping(node, context: "auth")
        try checkKeys(fields, allowed: ["identities", "tokens", "oauth"], context: "auth")
        guard target.transport.isHTTP else {
            throw error(at: node, "'auth' sends bearer tokens over HTTP: it needs 'transport: http' (or sse)")
        }
        let identities = try fields["identities"].map { node throws(ScenarioError) in
            try clientCount(node, what: "auth.identities")
        }
        switch (fields["tokens"], fields["oauth"]) {
        case (let tokens?, nil):
            let settings = try mapping(tokens, context: "auth.tokens")
            try checkKeys(settings, allowed: ["file"], context: "auth.tokens")
            guard let file = settings["file"] else {
                throw error(at: tokens, "auth.tokens needs 'file': one access token per line, one line per identity")
            }
            return AuthSettings(identities: identities, credentials: .tokenFile(try environmentTemplate(file)))
        case (nil, let oauth?):
            return AuthSettings(identities: identities, credentials: .oauth(try parseOAuth(oauth)))
        case (.some, .some):
            throw error(at: node, "auth takes 'tokens' or 'oauth', not both")
        case (nil, nil):
            throw error(at: node, "auth needs 'tokens: { file: … }' or 'oauth: { … }'")
        }
    }

    private func parseOAuth(_ node: Node) throws(ScenarioError) -> OAuthSettings {
        let fields = try mapping(node, context: "auth.oauth")
        try checkKeys(
            fields,
            allowed: [
                "discover", "issuer", "tokenEndpoint", "grant", "clients", "clientAuth", "scope", "resource",
                "refresh", "mode", "timeout", "stepUps",
            ], context: "auth.oauth")
        guard let clientsNode = fields["clients"] else {
            throw error(
                at: node,
                "auth.oauth needs 'clients': { file: clients.yaml }, a list of { id, secret }, or { count, id, secret }"
            )
        }
        var settings = OAuthSettings(clients: try parseClients(clientsNode))
        if let grant = fields["grant"] {
            let name = try string(grant)
            guard let known = OAuthSettings.Grant(rawValue: name) else {
                throw error(at: grant, "auth.oauth.grant '\(name)' is not one of client_credentials, refresh_token")
            }
            settings.grant = known
        }
        settings.clientAuthentication = settings.grant == .refreshToken ? .none : .basic
        if let method = fields["clientAuth"] {
            let name = try string(method)
            guard let known = OAuthSettings.ClientAuthentication(rawValue: name) else {
                throw error(
                    at: method,
                    "auth.oauth.clientAuth '\(name)' is not one of client_secret_basic, client_secret_post, private_key_jwt, none"
                )
            }
            settings.clientAuthentication = known
        }
        settings.discovery = try parseDiscovery(fields, at: node)
        if let scope = fields["scope"] {
            settings.scopes = try stringList(scope).flatMap { $0.split(separator: " ").map(String.init) }
        }
        if let resource = fields["resource"] { settings.resource = try url(resource, what: "auth.oauth.resource") }
        if let timeout = fields["timeout"] {
            settings.timeout = try positiveDuration(timeout, what: "auth.oauth.timeout")
        }
        if let stepUps = fields["stepUps"] {
            settings.refresh.maximumStepUps = try integer(stepUps, minimum: 0, maximum: 10, what: "auth.oauth.stepUps")
        }
        if let mode = fields["mode"] {
            switch try string(mode) {
            case "proactive": settings.naive = false
            case "naive": settings.naive = true
            case let other: throw error(at: mode, "auth.oauth.mode '\(other)' is not one of proactive, naive")
            }
        }
        if let refresh = fields["refresh"] { try parseRefresh(refresh, into: &settings.refresh) }
        settings.refresh.proactive = !settings.naive
        settings.refresh.canAcquire = settings.grant == .clientCredentials
        return settings
    }

    /// `discover: true` (the default), or `issuer:` / `tokenEndpoint:` to skip part or all of it.
    private func parseDiscovery(_ fields: YAMLFields, at node: Node) throws(ScenarioError) -> OAuthSettings.Discovery {
        let discover = try fields["discover"].map { node throws(ScenarioError) in
            try boolean(node, what: "auth.oauth.discover")
        }
        if let endpoint = fields["tokenEndpoint"] {
            guard discover != true, fields["issuer"] == nil else {
                throw error(at: endpoint, "auth.oauth.tokenEndpoint skips discovery: drop 'discover' and 'issuer'")
            }
            return .tokenEndpoint(try url(endpoint, what: "auth.oauth.tokenEndpoint"))
        }
        if let issuer = fields["issuer"] {
            guard discover != true else {
                throw error(at: issuer, "auth.oauth.issuer skips the resource's metadata: drop 'discover: true'")
            }
            return .issuer(try url(issuer, what: "auth.oauth.issuer"))
        }
        guard discover != false else {
            throw error(
                at: node, "auth.oauth: without discovery, say where tokens come from: 'tokenEndpoint' or 'issuer'")
        }
        return .fromChallenge
    }

    /// `refresh: { before: 20%, jitter: true }`.
    private func parseRefresh(
        _ node: Node, into configuration: inout TokenLifecycle.Configuration
    ) throws(ScenarioError) {
        let fields = try mapping(node, context: "auth.oauth.refresh")
        try checkKeys(fields, allowed: ["before", "jitter"], context: "auth.oauth.refresh")
        if let before = fields["before"] {
            let text = try string(before)
            let number = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
            guard let fraction = number, fraction > 0, fraction < 1 else {
                throw error(
                    at: before,
                    "auth.oauth.refresh.before is the share of a token's life left when it is refreshed: 20% or 0.2, above 0 and below 100%"
                )
            }
            configuration.refreshBefore = fraction
        }
        if let jitter = fields["jitter"] {
            configuration.jitter = try boolean(jitter, what: "auth.oauth.refresh.jitter")
        }
    }

    private func parseClients(_ node: Node) throws(ScenarioError) -> OAuthSettings.Clients {
        if case .sequence(let sequence) = node {
            var clients: [OAuthSettings.ClientTemplate] = []
            for element in sequence { clients.append(try parseClient(element, context: "auth.oauth.clients[]")) }
            guard !clients.isEmpty else { throw error(at: node, "auth.oauth.clients lists no client") }
            return .list(clients)
        }
        let fields = try mapping(node, context: "auth.oauth.clients")
        if let file = fields["file"] {
            try checkKeys(fields, allowed: ["file"], context: "auth.oauth.clients")
            return .file(try environmentTemplate(file))
        }
        try checkKeys(fields, allowed: ["count", "id", "secret", "refreshToken", "key"], context: "auth.oauth.clients")
        guard let countNode = fields["count"] else {
            throw error(
                at: node, "auth.oauth.clients: give 'file', a list, or 'count' with 'id' (and 'secret') templates")
        }
        let count = try clientCount(countNode, what: "auth.oauth.clients.count")
        let client = try parseClient(node, context: "auth.oauth.clients", allowing: ["count"])
        return .generated(count: count, client)
    }

    /// One client's `{ id, secret, refreshToken }`; `${VAR}` is checked here and filled in at run time.
    func parseClient(
        _ node: Node, context: String, allowing extra: Set<String> = []
    ) throws(ScenarioError)
        -> OAuthSettings.ClientTemplate
    {
        let fields = try mapping(node, context: context)
        try checkKeys(fields, allowed: Set(["id", "secret", "refreshToken", "key"]).union(extra), context: context)
        guard let id = fields["id"] else { throw error(at: node, "\(context) needs 'id'") }
        var client = OAuthSettings.ClientTemplate(id: try environmentTemplate(id))
        if let secret = fields["secret"] { client.secret = try environmentTemplate(secret) }
        if let refresh = fields["refreshToken"] { client.refreshToken = try environmentTemplate(refresh) }
        if let key = fields["key"] { client.key = try environmentTemplate(key) }
        return client
    }

    /// Text that may name environment variables (`${VAR}`, `${VAR:-default}`), checked for syntax.
    func environmentTemplate(_ node: Node) throws(ScenarioError) -> EnvironmentTemplate {
        let text = try string(node)
        do {
            return try EnvironmentTemplate(parsing: text)
        } catch {
            throw self.error(at: node, error.message)
        }
    }

    private func url(_ node: Node, what: String) throws(ScenarioError) -> String {
        let text = try string(node)
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw error(at: node, "\(what) must be an http:// or https:// URL, not \"\(text)\"")
        }
        return text
    }
}
