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

    /// The client ids and secrets the demo accepts.
    func secret(ofClient id: String) -> String? {
        guard let index = clientIndex(id) else { return nil }
        return "\(secretBase)-\(index)"
    }

    func seededRefreshToken(ofClient index: Int) -> String { "\(secretBase)-refresh-\(index)" }

    func clientIndex(_ id: String) -> Int? {
        guard id.hasPrefix("client-"), let index = Int(id.dropFirst("client-".count)), (1...clients).contains(index)
        else { return nil }
        return index
    }

    /// Every scope the demo knows, for its metadata.
    var scopesSupported: [String] { Array(Set([scope] + toolScopes.values)).sorted() }
}
