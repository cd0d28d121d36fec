/// `auth:`: who the virtual clients are to the server, and how they get their tokens.
///
/// Virtual clients map to identities round robin (client `k` is identity `(k-1) % N + 1`); each
/// identity has its own credentials and its own token, shared by its clients.
package struct AuthSettings: Sendable, Hashable {
    /// How many identities; nil: one per virtual client.
    package var identities: Int?
    package var credentials: Credentials

    package enum Credentials: Sendable, Hashable {
        /// Static access tokens, one per line of a file, one per identity (`tokens: { file: … }`).
        case tokenFile(EnvironmentTemplate)
        case oauth(OAuthSettings)
    }

    package init(identities: Int? = nil, credentials: Credentials) {
        self.identities = identities
        self.credentials = credentials
    }

    /// The identity (1-based) of virtual client `virtualClient` (1-based) among `count`.
    package static func identity(ofClient virtualClient: Int, among count: Int) -> Int {
        (max(virtualClient, 1) - 1) % max(count, 1) + 1
    }

    package var oauth: OAuthSettings? {
        if case .oauth(let settings) = credentials { return settings }
        return nil
    }
}

/// `auth.oauth`: OAuth 2.1 as the MCP authorization spec has it, for machine clients.
package struct OAuthSettings: Sendable, Hashable {
    package var discovery = Discovery.fromChallenge
    package var grant = Grant.clientCredentials
    package var clients: Clients
    package var clientAuthentication = ClientAuthentication.basic
    /// The scopes asked for; empty: those the challenge or the metadata names.
    package var scopes: [String] = []
    /// The `resource` parameter (RFC 8707); nil: the MCP endpoint itself.
    package var resource: String?
    /// How tokens are kept fresh.
    package var refresh = TokenLifecycle.Configuration()
    /// `naive`: no proactive refresh and no sharing; every client holds its own token and
    /// refreshes it on its own 401, as naive clients do to a server.
    package var naive = false
    /// A token request that takes longer fails as a `token_endpoint` timeout.
    package var timeout = Duration.seconds(10)

    package init(clients: Clients) {
        self.clients = clients
    }

    package enum Discovery: Sendable, Hashable {
        /// A 401 from the MCP endpoint names the protected resource metadata (or the well-known
        /// paths are tried), which names the authorization server, whose metadata names the
        /// token endpoint (RFC 9728, RFC 8414).
        case fromChallenge
        /// The authorization server is known: its metadata names the token endpoint; the issuer
        /// it states is checked against this.
        case issuer(String)
        /// The token endpoint is known: no discovery.
        case tokenEndpoint(String)
    }

    package enum Grant: String, Sendable, Hashable, CaseIterable {
        case clientCredentials = "client_credentials"
        /// Seeded refresh tokens, one per identity, rotated as the server issues new ones.
        case refreshToken = "refresh_token"
    }

    package enum ClientAuthentication: String, Sendable, Hashable, CaseIterable {
        case basic = "client_secret_basic"
        case post = "client_secret_post"
        /// A JWT signed with the client's own key (RFC 7523, ES256): no shared secret.
        case privateKeyJWT = "private_key_jwt"
        /// A public client: its id only (refresh tokens of a public client).
        case none
    }

    /// Where the identities' OAuth clients come from.
    package enum Clients: Sendable, Hashable {
        /// A YAML list of `{ id, secret, refreshToken }` (values may be `${VAR}`).
        case file(EnvironmentTemplate)
        /// The same list, written in the scenario.
        case list([ClientTemplate])
        /// `count` clients whose id and secret are templates of `{{identity}}` (and `${VAR}`):
        /// test clients provisioned with a naming scheme.
        case generated(count: Int, ClientTemplate)
    }

    /// One client's fields as written: `${VAR}` and `{{identity}}` are filled in at run time
    /// (and `key`'s file read).
    package struct ClientTemplate: Sendable, Hashable {
        package var id: EnvironmentTemplate
        package var secret: EnvironmentTemplate?
        package var refreshToken: EnvironmentTemplate?
        /// `private_key_jwt`: the path of the client's P-256 private key (PEM).
        package var key: EnvironmentTemplate?

        package init(
            id: EnvironmentTemplate, secret: EnvironmentTemplate? = nil, refreshToken: EnvironmentTemplate? = nil
        ) {
            self.id = id
            self.secret = secret
            self.refreshToken = refreshToken
        }
    }
}
