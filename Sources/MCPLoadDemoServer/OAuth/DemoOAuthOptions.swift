/// `--oauth`: the demo as an OAuth 2.1 protected resource with its own authorization server on
/// the same origin, and the faults that production token services have.
package struct DemoOAuthOptions: Sendable, Hashable {
    /// Clients `client-1` … `client-N`; client `i`'s secret is `<secret base>-i` and its seeded
    /// refresh token `<secret base>-refresh-i` (single use, rotated like any other).
    package var clients = 10
    /// The base of every client's secret: `MCPLOAD_DEMO_OAUTH_SECRET`, or this well-known one.
    package var secretBase = DemoOAuthOptions.defaultSecretBase
    package static let defaultSecretBase = "demo-oauth-secret"
    package static let secretEnvironmentVariable = "MCPLOAD_DEMO_OAUTH_SECRET"
    /// How long an access token lives.
    package var tokenLifetime = Duration.seconds(60)
    /// Token answers carry a refresh token (client credentials included), rotated on each use;
    /// a rotated one used again revokes its family.
    package var refreshTokens = false
    /// The scope every MCP request needs.
    package var scope = "mcp:tools"
    /// Tools that need a scope of their own (`--tool-scope add=mcp:admin`): 403 `insufficient_scope`.
    package var toolScopes: [String: String] = [:]
    /// Added to every token request's answer.
    package var tokenLatency = Duration.zero
    /// Every access token issued is revoked at each multiple of this (from the server's start),
    /// as a signing-key rotation or an authorization server's restart does: every client's
    /// token fails at the same moment.
    package var revokeTokensEvery: Duration?
    /// How many token requests are worked on at once (nil: no limit); the rest queue.
    package var tokenConcurrency: Int?
    /// This fraction of token requests is answered 503 `temporarily_unavailable`; deterministic.
    package var tokenErrorRate = 0.0

    package init() {}

    /// `--oauth-clients-file`: the clients, in order, with their secrets (the same YAML list
    /// `auth.oauth.clients.file` reads); nil for `client-1` … `client-N` with derived secrets.
    package var listedClients: [ListedClient]?

    package struct ListedClient: Sendable, Hashable {
        package var id: String
        package var secret: String?

        package init(id: String, secret: String?) {
            self.id = id
            self.secret = secret
        }
    }

    /// How many clients the server knows.
    var clientCount: Int { listedClients?.count ?? clients }

    /// Client `index`'s id (1-based).
    func clientID(_ index: Int) -> String {
        guard let listedClients, listedClients.indices.contains(index - 1) else { return "client-\(index)" }
        return listedClients[index - 1].id
    }

    /// The client's secret; nil for a client the demo does not know (or one listed without one).
    func secret(ofClient id: String) -> String? {
        guard let index = clientIndex(id) else { return nil }
        guard let listedClients else { return "\(secretBase)-\(index)" }
        return listedClients[index - 1].secret
    }

    func seededRefreshToken(ofClient index: Int) -> String { "\(secretBase)-refresh-\(index)" }

    /// The client's place (1-based), when the demo knows it.
    func clientIndex(_ id: String) -> Int? {
        if let listedClients { return listedClients.firstIndex { $0.id == id }.map { $0 + 1 } }
        guard id.hasPrefix("client-"), let index = Int(id.dropFirst("client-".count)), (1...clients).contains(index)
        else { return nil }
        return index
    }

    /// Every scope the demo knows, for its metadata.
    var scopesSupported: [String] { Array(Set([scope] + toolScopes.values)).sorted() }
}
