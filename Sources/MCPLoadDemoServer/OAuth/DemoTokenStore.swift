import Foundation

/// The demo authorization server's memory: the access tokens it issued (whose, for which
/// resource, with which scopes, until when) and its refresh tokens, rotated on use with reuse
/// detection: a refresh token used a second time revokes every token of its family, as OAuth 2.1
/// asks of servers that rotate them. Counts what it did for `/metrics`.
actor DemoTokenStore {
    struct Grant: Sendable {
        var client: String
        var resource: String?
        var scopes: Set<String>
        var expires: ContinuousClock.Instant
        var family: Int
        /// Which revocation period it was issued in (`--revoke-tokens-every`).
        var epoch: Int
    }

    private struct RefreshRecord {
        var client: String
        var resource: String?
        var scopes: Set<String>
        var family: Int
        var used = false
    }

    let options: DemoOAuthOptions
    private let started = ContinuousClock.now
    private var accessTokens: [String: Grant] = [:]
    private var refreshTokens: [String: RefreshRecord] = [:]
    private var revokedFamilies: Set<Int> = []
    private var nextFamily = 1
    private var issuedSincePurge = 0
    private var tokenRequests = 0
    private var errorsInjected = 0
    /// What the token endpoint answered, by grant and outcome, for `/metrics`.
    private(set) var counts: [String: Int] = [:]

    init(options: DemoOAuthOptions) {
        self.options = options
        for index in 1...max(options.clientCount, 1) {
            refreshTokens[options.seededRefreshToken(ofClient: index)] = RefreshRecord(
                client: options.clientID(index), resource: nil, scopes: [options.scope], family: 0)
        }
    }

    func count(_ name: String) { counts[name, default: 0] += 1 }

    private var spentAssertions: [String: Date] = [:]

    /// Whether a client assertion's `jti` is new (and now spent): a replayed one is refused.
    /// Spent ones are forgotten once they have expired anyway.
    func spend(assertion jti: String, until expiry: Date) -> Bool {
        let now = Date()
        if spentAssertions.count > 10_000 { spentAssertions = spentAssertions.filter { $0.value > now } }
        guard spentAssertions[jti] == nil else { return false }
        spentAssertions[jti] = expiry
        return true
    }

    /// Bresenham-style, as the demo's other faults: after n requests exactly ⌊n × rate⌋ failed.
    func injectsError() -> Bool {
        tokenRequests += 1
        let due = Int((Double(tokenRequests) * options.tokenErrorRate).rounded(.down))
        guard due > errorsInjected else { return false }
        errorsInjected = due
        return true
    }

    /// A new access token (and refresh token, when the demo issues them or one is being
    /// rotated) for `client`.
    func issue(
        client: String, resource: String?, scopes: Set<String>, family: Int? = nil, rotating: Bool = false
    )
        -> (access: String, refresh: String?)
    {
        purgeIfDue()
        let family = family ?? takeFamily()
        let access = Self.randomToken(prefix: "dat")
        accessTokens[access] = Grant(
            client: client, resource: resource, scopes: scopes, expires: .now + options.tokenLifetime, family: family,
            epoch: epoch)
        guard options.refreshTokens || rotating else { return (access, nil) }
        let refresh = Self.randomToken(prefix: "drt")
        refreshTokens[refresh] = RefreshRecord(client: client, resource: resource, scopes: scopes, family: family)
        return (access, refresh)
    }

    enum RefreshOutcome {
        case issued(access: String, refresh: String?, scopes: Set<String>)
        /// Unknown, another client's, or already used (its family is revoked now).
        case invalidGrant(reused: Bool)
    }

    /// The `refresh_token` grant: the old refresh token is spent, a new one replaces it.
    func refresh(_ token: String, client: String, resource: String?) -> RefreshOutcome {
        guard var record = refreshTokens[token], record.client == client, !revokedFamilies.contains(record.family)
        else { return .invalidGrant(reused: false) }
        if record.used {
            revokedFamilies.insert(record.family)
            return .invalidGrant(reused: true)
        }
        record.used = true
        refreshTokens[token] = record
        let family = record.family == 0 ? takeFamily() : record.family
        let issued = issue(
            client: client, resource: resource ?? record.resource, scopes: record.scopes, family: family, rotating: true
        )
        // A seeded token has no family of its own yet; the first refresh starts one, so that a
        // later reuse of the seed revokes what was issued from it.
        if record.family == 0 { refreshTokens[token]?.family = family }
        return .issued(access: issued.access, refresh: issued.refresh, scopes: record.scopes)
    }

    enum Validation {
        case valid(Grant)
        case missing
        /// Unknown, expired, for another resource, or of a revoked family.
        case invalid
    }

    func validate(_ token: String?, resource: String) -> Validation {
        guard let token else { return .missing }
        guard let grant = accessTokens[token], grant.expires > .now, !revokedFamilies.contains(grant.family),
            grant.resource == nil || grant.resource == resource, grant.epoch == epoch
        else { return .invalid }
        return .valid(grant)
    }

    /// The revocation period now: tokens of an earlier one are revoked.
    private var epoch: Int {
        guard let period = options.revokeTokensEvery, period > .zero else { return 0 }
        return Int((ContinuousClock.now - started) / period)
    }

    private func takeFamily() -> Int {
        defer { nextFamily += 1 }
        return nextFamily
    }

    /// Expired access tokens go every thousand issues, so a long run's memory stays flat.
    private func purgeIfDue() {
        issuedSincePurge += 1
        guard issuedSincePurge >= 1000 else { return }
        issuedSincePurge = 0
        let now = ContinuousClock.now
        accessTokens = accessTokens.filter { $0.value.expires > now }
    }

    /// 32 random bytes in hex: unguessable, and token characters only.
    static func randomToken(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + "_" + bytes.map { String(format: "%02x", $0) }.joined()
    }
}
