/// One identity's access token over a run, as a value: events in (a client needs the token, the
/// server refused it, the clock reached the refresh point, the token endpoint answered), one
/// decision out. The engine's `Identity` performs the token requests and parks the clients the
/// machine tells to wait; the rules are all here, tested without I/O or a clock.
///
/// Single-flight is the machine's invariant: at most one token request per identity is under
/// way, however many clients share it; a refusal of a token that was already replaced is
/// answered with the new one, not with another request.
package struct TokenLifecycle: Sendable, Equatable {
    package struct Configuration: Sendable, Hashable {
        /// Refresh before expiry (`refresh.before`, a fraction of the lifetime), off the load's
        /// path; false for the naive mode, whose clients learn of expiry from a 401.
        package var proactive = true
        /// The fraction of a token's lifetime left when it is refreshed.
        package var refreshBefore = 0.2
        /// Spread refreshes over the first half of that window, so tokens issued together are
        /// not all refreshed together.
        package var jitter = true
        /// A new token can always be asked for (client credentials); false when the identity
        /// lives on a refresh token alone, which retires it once that is refused.
        package var canAcquire = true
        /// Step-ups allowed for `insufficient_scope` over the identity's life.
        package var maximumStepUps = 2

        package init() {}
    }

    /// Which grant a token request uses.
    package enum Grant: Sendable, Equatable {
        /// The identity's own credentials (client credentials), with these scopes.
        case acquire
        /// The refresh token it holds (`refresh_token` grant, rotated).
        case refresh
    }

    /// Why a token request is made: the accounting keeps them apart.
    package enum Reason: Sendable, Equatable {
        /// The first token, before the load.
        case initial
        /// Before expiry, off the load's path.
        case proactive
        /// The server refused the token (401), or it expired while nobody refreshed it.
        case rejected
        /// The refresh token was refused (`invalid_grant`): the identity starts over.
        case reacquire
        /// `insufficient_scope`: a token with more scopes.
        case stepUp
    }

    package struct Request: Sendable, Equatable {
        package var grant: Grant
        package var reason: Reason
        /// The scopes to ask for (the configured ones, widened by step-ups).
        package var scopes: [String]
    }

    /// What a client that needs the token does.
    package enum Decision: Sendable, Equatable {
        /// Present the token of this generation.
        case use(generation: Int)
        /// A request is under way: wait for its outcome.
        case wait
        /// Make this token request; others wait for it.
        case request(Request)
        /// The identity has no token and will get none.
        case retired
        /// The server wants scopes the identity may not ask for (step-ups used up).
        case refused
    }

    /// The token endpoint's answer to a request.
    package enum Answer: Sendable, Equatable {
        /// A token, valid for `lifetime` when the answer said (`expires_in`).
        case granted(lifetime: Duration?, refreshable: Bool)
        /// `invalid_grant`: the credentials or the refresh token are no longer good.
        case invalidGrant
        /// Anything else that failed (`invalid_client`, a 5xx, a timeout): the waiters fail.
        case failed
    }

    package let configuration: Configuration
    /// The token held: its generation (0: none yet), when it expires and when to refresh it.
    package private(set) var generation = 0
    package private(set) var expiresAt: Duration?
    package private(set) var refreshAt: Duration?
    /// A refresh token is held (the last answer carried one).
    package private(set) var refreshable = false
    package private(set) var inFlight: Request?
    package private(set) var isRetired = false
    package private(set) var scopes: [String]
    package private(set) var stepUps = 0

    /// `seededRefreshToken`: the identity starts with a refresh token (and no token yet).
    package init(_ configuration: Configuration, scopes: [String], seededRefreshToken: Bool = false) {
        self.configuration = configuration
        self.scopes = scopes
        refreshable = seededRefreshToken
    }

    /// A client is about to send a request.
    package mutating func tokenNeeded(now: Duration) -> Decision {
        if isRetired { return .retired }
        if inFlight != nil { return .wait }
        if generation > 0 {
            // A naive client presents what it has and learns of expiry from the server.
            guard configuration.proactive, let expiresAt, now >= expiresAt else { return .use(generation: generation) }
            return start(nextGrant, .rejected)
        }
        return start(nextGrant, .initial)
    }

    /// The server refused the token of `generation` (401); `challenge` is what it said.
    package mutating func rejected(generation presented: Int, challenge: BearerChallenge?) -> Decision {
        if isRetired { return .retired }
        if inFlight != nil { return .wait }
        if presented < generation { return .use(generation: generation) }
        return start(nextGrant, .rejected)
    }

    /// The server wants more scope (403 `insufficient_scope`) than the token of `generation` has.
    package mutating func insufficientScope(generation presented: Int, challenge: BearerChallenge?) -> Decision {
        if isRetired { return .retired }
        if inFlight != nil { return .wait }
        let wanted = challenge?.scopes ?? []
        if presented < generation { return .use(generation: generation) }
        let missing = wanted.filter { !scopes.contains($0) }
        guard !missing.isEmpty, stepUps < configuration.maximumStepUps else { return .refused }
        stepUps += 1
        scopes += missing
        // A refresh token cannot widen a grant: a step-up asks anew.
        return start(.acquire, .stepUp)
    }

    /// The clock: a proactive refresh to make now, if one is due and none is under way.
    package mutating func refreshDue(now: Duration) -> Request? {
        guard configuration.proactive, !isRetired, inFlight == nil, generation > 0, let refreshAt, now >= refreshAt
        else { return nil }
        guard case .request(let request) = start(nextGrant, .proactive) else { return nil }
        return request
    }

    /// What the token endpoint answered to the request under way. `jitter` is a number in
    /// 0...1 that places a refresh in its window. Returns the next request when the answer
    /// calls for one at once (a refused refresh token, asked again with the credentials).
    package mutating func answered(_ answer: Answer, now: Duration, jitter: Double) -> Request? {
        guard let request = inFlight else { return nil }
        inFlight = nil
        switch answer {
        case .granted(let lifetime, let refreshable):
            generation += 1
            self.refreshable = refreshable
            expiresAt = lifetime.map { now + $0 }
            refreshAt = lifetime.map { now + refreshPoint(of: $0, jitter: jitter) }
            return nil
        case .invalidGrant:
            refreshable = false
            if request.grant == .refresh, configuration.canAcquire {
                guard case .request(let next) = start(.acquire, .reacquire) else { return nil }
                return next
            }
            // Credentials the server no longer takes, or a refresh token with nothing behind it.
            isRetired = true
            return nil
        case .failed:
            // A proactive refresh that failed is tried again a little later (the token still
            // holds), not on every tick of the refresher.
            if request.reason == .proactive, let due = refreshAt {
                refreshAt = max(due, now + Self.proactiveRetryDelay)
                if let expiresAt, let due = refreshAt, due >= expiresAt { refreshAt = nil }
            }
            return nil
        }
    }

    /// How long after a failed proactive refresh the next is tried.
    package static let proactiveRetryDelay = Duration.seconds(1)

    /// When, after issue, a token living `lifetime` is refreshed: `refreshBefore` of it before
    /// expiry, or with jitter anywhere in the first half of that window.
    func refreshPoint(of lifetime: Duration, jitter: Double) -> Duration {
        let window = lifetime * configuration.refreshBefore
        let spread = configuration.jitter ? window * (min(max(jitter, 0), 1) / 2) : .zero
        return lifetime - window + spread
    }

    /// A refresh token when one is held, the credentials otherwise.
    private var nextGrant: Grant { refreshable ? .refresh : (configuration.canAcquire ? .acquire : .refresh) }

    private mutating func start(_ grant: Grant, _ reason: Reason) -> Decision {
        if grant == .refresh && !refreshable {
            // Nothing left to ask with: no credentials and no refresh token.
            isRetired = true
            return .retired
        }
        let request = Request(grant: grant, reason: reason, scopes: scopes)
        inFlight = request
        return .request(request)
    }
}
