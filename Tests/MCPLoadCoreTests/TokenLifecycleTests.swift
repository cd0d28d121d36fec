import Testing

@testable import MCPLoadCore

/// One identity's token over a run, decided without I/O or a clock: single-flight, refusals
/// of tokens already replaced, proactive refresh in its window, rotation and its failures.
@Suite("Token lifecycle")
struct TokenLifecycleTests {
    static func machine(
        proactive: Bool = true, jitter: Bool = false, canAcquire: Bool = true, seeded: Bool = false
    ) -> TokenLifecycle {
        var configuration = TokenLifecycle.Configuration()
        configuration.proactive = proactive
        configuration.jitter = jitter
        configuration.canAcquire = canAcquire
        return TokenLifecycle(configuration, scopes: ["mcp:tools"], seededRefreshToken: seeded)
    }

    static let request = TokenLifecycle.Request(grant: .acquire, reason: .initial, scopes: ["mcp:tools"])

    @Test("the first client to need a token asks for it; every other one waits for that one request")
    func singleFlight() {
        var tokens = Self.machine()
        #expect(tokens.tokenNeeded(now: .zero) == .request(Self.request))
        for _ in 0..<100 { #expect(tokens.tokenNeeded(now: .zero) == .wait) }
        #expect(tokens.answered(.granted(lifetime: .seconds(60), refreshable: false), now: .zero, jitter: 0) == nil)
        #expect(tokens.tokenNeeded(now: .seconds(1)) == .use(generation: 1))
    }

    @Test("a refusal of a token already replaced is answered with the new one, not another request")
    func staleRefusal() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(60), refreshable: false), now: .zero, jitter: 0)
        let refresh = TokenLifecycle.Request(grant: .acquire, reason: .rejected, scopes: ["mcp:tools"])
        #expect(tokens.rejected(generation: 1, challenge: nil) == .request(refresh))
        // Every client whose request carried generation 1 learns of the refusal meanwhile.
        #expect(tokens.rejected(generation: 1, challenge: nil) == .wait)
        _ = tokens.answered(.granted(lifetime: .seconds(60), refreshable: false), now: .seconds(1), jitter: 0)
        #expect(tokens.rejected(generation: 1, challenge: nil) == .use(generation: 2))
        #expect(tokens.generation == 2)
    }

    @Test("refresh comes when the configured share of the lifetime is left, once, then not again until the next token")
    func proactiveRefresh() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(100), refreshable: false), now: .zero, jitter: 0)
        #expect(tokens.refreshAt == .seconds(80))
        #expect(tokens.refreshDue(now: .seconds(79)) == nil)
        #expect(tokens.refreshDue(now: .seconds(80))?.reason == .proactive)
        #expect(tokens.refreshDue(now: .seconds(81)) == nil)
        // Clients go on with the old token while the refresh is under way: it is still valid.
        #expect(tokens.tokenNeeded(now: .seconds(81)) == .wait)
        _ = tokens.answered(.granted(lifetime: .seconds(100), refreshable: false), now: .seconds(81), jitter: 0)
        #expect(tokens.refreshAt == .seconds(161))
    }

    @Test(
        "jitter spreads refreshes over the first half of the window, never past it", arguments: [0.0, 0.25, 0.5, 1.0])
    func jitterWindow(unit: Double) {
        let tokens = Self.machine(jitter: true)
        let point = tokens.refreshPoint(of: .seconds(100), jitter: unit)
        #expect(point == .seconds(80) + .seconds(10) * unit)
        #expect(point <= .seconds(90))
    }

    @Test("a failed proactive refresh is tried again a second later, and never once the token has expired")
    func proactiveFailure() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(10), refreshable: false), now: .zero, jitter: 0)
        #expect(tokens.refreshDue(now: .seconds(8)) != nil)
        #expect(tokens.answered(.failed, now: .seconds(8), jitter: 0) == nil)
        #expect(tokens.refreshAt == .seconds(9))
        #expect(tokens.refreshDue(now: .seconds(8.5)) == nil)
        #expect(tokens.refreshDue(now: .seconds(9)) != nil)
        _ = tokens.answered(.failed, now: .seconds(9), jitter: 0)
        #expect(tokens.refreshAt == nil)
        // Expired and unrefreshed: the next client asks (proactive clients check expiry).
        #expect(
            tokens.tokenNeeded(now: .seconds(10))
                == .request(.init(grant: .acquire, reason: .rejected, scopes: ["mcp:tools"])))
    }

    @Test("naive clients never refresh before a refusal and present an expired token as it is")
    func naive() {
        var tokens = Self.machine(proactive: false)
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(10), refreshable: false), now: .zero, jitter: 0)
        #expect(tokens.refreshDue(now: .seconds(100)) == nil)
        #expect(tokens.tokenNeeded(now: .seconds(100)) == .use(generation: 1))
        #expect(
            tokens.rejected(generation: 1, challenge: nil)
                == .request(.init(grant: .acquire, reason: .rejected, scopes: ["mcp:tools"])))
    }

    @Test("a refresh token is used while one is held; a refused one falls back to the credentials, counted apart")
    func rotationAndReacquire() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(10), refreshable: true), now: .zero, jitter: 0)
        let refresh = tokens.refreshDue(now: .seconds(8))
        #expect(refresh?.grant == .refresh)
        let next = tokens.answered(.invalidGrant, now: .seconds(8), jitter: 0)
        #expect(next == .init(grant: .acquire, reason: .reacquire, scopes: ["mcp:tools"]))
        #expect(tokens.inFlight == next)
        #expect(!tokens.isRetired)
    }

    @Test("an identity that lives on a refresh token alone is retired when it is refused, and stays retired")
    func retirement() {
        var tokens = Self.machine(canAcquire: false, seeded: true)
        #expect(
            tokens.tokenNeeded(now: .zero) == .request(.init(grant: .refresh, reason: .initial, scopes: ["mcp:tools"])))
        #expect(tokens.answered(.invalidGrant, now: .zero, jitter: 0) == nil)
        #expect(tokens.isRetired)
        #expect(tokens.tokenNeeded(now: .seconds(1)) == .retired)
        #expect(tokens.rejected(generation: 0, challenge: nil) == .retired)
    }

    @Test("refused credentials retire a client-credentials identity; other failures leave it to try again")
    func credentialsRefused() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.failed, now: .zero, jitter: 0)
        #expect(!tokens.isRetired)
        #expect(tokens.tokenNeeded(now: .seconds(1)) == .request(Self.request))
        _ = tokens.answered(.invalidGrant, now: .seconds(1), jitter: 0)
        #expect(tokens.isRetired)
    }

    @Test("a step-up asks anew with the scopes added, at most the configured number of times")
    func stepUp() {
        var tokens = Self.machine()
        _ = tokens.tokenNeeded(now: .zero)
        _ = tokens.answered(.granted(lifetime: .seconds(60), refreshable: true), now: .zero, jitter: 0)
        let challenge = BearerChallenge(error: "insufficient_scope", scope: "mcp:tools mcp:admin")
        #expect(
            tokens.insufficientScope(generation: 1, challenge: challenge)
                == .request(.init(grant: .acquire, reason: .stepUp, scopes: ["mcp:tools", "mcp:admin"])))
        _ = tokens.answered(.granted(lifetime: .seconds(60), refreshable: true), now: .zero, jitter: 0)
        // The scopes are held now: another refusal of them is not helped by asking again.
        #expect(tokens.insufficientScope(generation: 2, challenge: challenge) == .refused)
        let more = BearerChallenge(error: "insufficient_scope", scope: "mcp:audit")
        #expect(tokens.insufficientScope(generation: 2, challenge: more) != .refused)
        _ = tokens.answered(.granted(lifetime: .seconds(60), refreshable: true), now: .zero, jitter: 0)
        #expect(tokens.insufficientScope(generation: 3, challenge: BearerChallenge(scope: "mcp:more")) == .refused)
        #expect(tokens.stepUps == 2)
    }
}
