import MCPLoadCore
import MCPLoadTransport
import Synchronization

/// One identity of a run: its credentials, its current token (in ``credential``, which its
/// sessions present on every request), and the token requests it made. Its
/// ``TokenLifecycle`` decides; this actor performs the token requests and parks the clients the
/// machine tells to wait, so that however many clients share the identity, one request is made.
actor Identity {
    /// 1-based, as `{{identity}}` shows it.
    nonisolated let number: Int
    nonisolated let credential = BearerCredential()
    private var lifecycle: TokenLifecycle?
    private let grantor: TokenGrantor?
    private var refreshToken: String?
    private var waiters: [CheckedContinuation<Failure?, Never>] = []
    private let clock: any EngineClock
    private let issued: IssuedSecrets
    private(set) var statistics: AuthStatistics
    /// When the next proactive refresh is due, published after every token request: the
    /// refresher reads it without a hop onto this actor (thousands of identities, every tick).
    private let nextRefresh = Mutex<Duration?>(nil)

    /// An identity with a static token: presented as it is; a refusal stands.
    init(number: Int, staticToken: String, clock: any EngineClock, statistics: AuthStatistics) {
        self.number = number
        self.clock = clock
        self.statistics = statistics
        lifecycle = nil
        grantor = nil
        issued = IssuedSecrets()
        credential.replace(token: staticToken, generation: 1)
    }

    /// An OAuth identity: tokens from `grantor`, kept as `configuration` says.
    init(
        number: Int, grantor: TokenGrantor, configuration: TokenLifecycle.Configuration, scopes: [String],
        clock: any EngineClock, issued: IssuedSecrets, statistics: AuthStatistics
    ) {
        self.number = number
        self.grantor = grantor
        self.clock = clock
        self.issued = issued
        self.statistics = statistics
        refreshToken = grantor.client.refreshToken
        lifecycle = TokenLifecycle(configuration, scopes: scopes, seededRefreshToken: refreshToken != nil)
    }

    /// Makes sure the identity holds a token: nil, or the `token_endpoint` failure why not.
    func ensureToken() async -> Failure? {
        guard lifecycle != nil else { return nil }
        return await act(on: lifecycle?.tokenNeeded(now: clock.now), failure: nil)
    }

    /// The server refused a token (401) or its scope (403 `insufficient_scope`): a new token,
    /// once, unless another client already got one. Nil when the request may be sent again
    /// (`retrying` counts it); otherwise the failure that stands.
    func recover(from failure: Failure, retrying: Bool = true) async -> Failure? {
        guard let refusal = failure.refusal else { return failure }
        let refused = clock.now
        let decision: TokenLifecycle.Decision?
        if failure.code == 403 {
            statistics.insufficientScope += 1
            guard refusal.challenge?.error == "insufficient_scope" else { return failure }
            decision = lifecycle?.insufficientScope(
                generation: refusal.presentedGeneration, challenge: refusal.challenge)
        } else {
            statistics.rejected += 1
            decision = lifecycle?.rejected(generation: refusal.presentedGeneration, challenge: refusal.challenge)
        }
        // A static token cannot be renewed: the refusal stands.
        guard lifecycle != nil else { return failure }
        let outcome = await act(on: decision, failure: failure)
        if outcome == nil {
            statistics.recovery.record(clock.now - refused)
            if retrying { statistics.retriesAfterReauth += 1 }
        }
        return outcome
    }

    /// A proactive refresh, when one is due.
    func refreshIfDue() async {
        guard let request = lifecycle?.refreshDue(now: clock.now) else { return }
        _ = await perform(request)
    }

    /// When the next proactive refresh is due; nil when none is planned. While a request is
    /// under way it may still show the last one: ``refreshIfDue()`` then finds nothing to do.
    nonisolated var refreshDue: Duration? { nextRefresh.withLock { $0 } }

    private func publishSchedule() {
        let due = lifecycle.flatMap { $0.configuration.proactive ? $0.refreshAt : nil }
        nextRefresh.withLock { $0 = due }
    }

    private func act(on decision: TokenLifecycle.Decision?, failure: Failure?) async -> Failure? {
        switch decision {
        case .use, nil: return nil
        case .wait:
            statistics.waitedForToken += 1
            return await withCheckedContinuation { waiters.append($0) }
        case .request(let request): return await perform(request)
        case .retired: return Failure(.tokenEndpoint, "identity \(number) has no credentials left (retired)")
        case .refused: return failure
        }
    }

    /// Makes `first` (and the request its answer calls for, if any) and tells the waiters.
    private func perform(_ first: TokenLifecycle.Request) async -> Failure? {
        guard let grantor else { return nil }
        var request = first
        while true {
            let started = clock.now
            let answer = await grantor.request(request.grant, scopes: request.scopes, refreshToken: refreshToken)
            let latency = clock.now - started
            if Task.isCancelled {
                // The run was stopped (Ctrl-C): an abandoned request is not the endpoint's failure.
                _ = lifecycle?.answered(.failed, now: clock.now, jitter: 0)
                let failure = Failure(.tokenEndpoint, "token request abandoned: the run was stopped")
                resumeWaiters(with: failure)
                return failure
            }
            switch answer {
            case .token(let token):
                statistics.recordTokenRequest(request.reason, at: started, took: latency, failure: nil)
                issued.add(token.accessToken)
                if let rotated = token.refreshToken {
                    // Rotation: the new refresh token replaces the old, which is spent.
                    issued.add(rotated)
                    refreshToken = rotated
                }
                _ = lifecycle?.answered(
                    .granted(lifetime: token.lifetime, refreshable: refreshToken != nil), now: clock.now,
                    jitter: Double.random(in: 0...1))
                credential.replace(token: token.accessToken, generation: lifecycle?.generation ?? 1)
                publishSchedule()
                resumeWaiters(with: nil)
                return nil
            case .refused(let refusal):
                statistics.recordTokenRequest(request.reason, at: started, took: latency, failure: refusal)
                if refusal.isInvalidGrant, request.grant == .refresh { refreshToken = nil }
                let wasRetired = lifecycle?.isRetired ?? false
                let next = lifecycle?.answered(
                    refusal.isInvalidGrant ? .invalidGrant : .failed, now: clock.now, jitter: 0)
                if let next {
                    request = next
                    continue
                }
                if !wasRetired, lifecycle?.isRetired == true { statistics.identitiesRetired += 1 }
                let failure = Failure(.tokenEndpoint, code: Self.status(of: refusal), "token endpoint: \(refusal.code)")
                publishSchedule()
                resumeWaiters(with: failure)
                return failure
            }
        }
    }

    private func resumeWaiters(with failure: Failure?) {
        let parked = waiters
        waiters = []
        for waiter in parked { waiter.resume(returning: failure) }
    }

    private static func status(of failure: TokenFailure) -> Int64? {
        switch failure {
        case .oauth(_, let status), .status(let status): Int64(status)
        default: nil
        }
    }
}
