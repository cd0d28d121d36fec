/// A run's authentication, apart from the MCP latencies: the token endpoint as its own row
/// (requests, failures by OAuth code or status, latency), why tokens were asked for, and what the
/// MCP server's refusals cost the clients (`result.json`'s `auth`).
package struct AuthStatistics: Sendable, Codable, Equatable {
    /// ``Mode/oauth``, ``Mode/naiveOAuth`` or ``Mode/staticTokens``, as results and reports name it.
    package var mode: String

    /// The names of `mode`.
    package enum Mode {
        package static let oauth = "oauth"
        package static let naiveOAuth = "oauth (naive)"
        package static let staticTokens = "static tokens"
    }

    /// Static tokens: nothing is asked of a token endpoint.
    package var isStatic: Bool { mode == Mode.staticTokens }
    package var identities: Int
    /// Token requests answered or failed, and how long the endpoint took for each.
    package var tokenRequests: UInt64 = 0
    package var tokenLatency = LatencyHistogram()
    /// Failed token requests by code: the OAuth `error` (`invalid_grant`), `http_503`, `timeout`…
    package var tokenFailures: [String: UInt64] = [:]
    /// Token requests by why they were made: `initial`, `proactive`, `rejected`, `reacquire`, `step_up`.
    package var tokenReasons: [String: UInt64] = [:]
    /// Identities that lost their credentials for good (a refused refresh token, refused credentials).
    package var identitiesRetired: UInt64 = 0
    /// Answers of the MCP server refusing a token (401) or its scope (403).
    package var rejected: UInt64 = 0
    package var insufficientScope: UInt64 = 0
    /// Requests sent again once a new token came after a refusal (at most once per request).
    package var retriesAfterReauth: UInt64 = 0
    /// Requests that waited for a token another client of the identity was getting.
    package var waitedForToken: UInt64 = 0
    /// Token requests per second of the run (index: seconds on the run's clock): the load the
    /// clients put on the token endpoint, bursts included.
    package var tokenTimeline: [UInt64] = []
    /// From a refusal to the moment the client could send again (a new token in hand): the
    /// stall a refusal cost, each time one was recovered from.
    package var recovery = LatencyHistogram()

    /// The most token requests in one second.
    package var peakTokenRequestsPerSecond: UInt64 { tokenTimeline.max() ?? 0 }

    /// Timelines longer than this many seconds (a day) stop growing: a run's last second holds the rest.
    static let timelineLimit = 86_400

    package init(mode: String, identities: Int) {
        self.mode = mode
        self.identities = identities
    }

    /// Token requests made after the first one of each identity: proactive, after a refusal, anew.
    package var refreshes: UInt64 {
        tokenReasons.filter { $0.key != TokenLifecycle.Reason.initial.name }.values.reduce(0, +)
    }

    package var tokenFailureCount: UInt64 { tokenFailures.values.reduce(0, +) }

    package mutating func recordTokenRequest(
        _ reason: TokenLifecycle.Reason, at instant: Duration, took latency: Duration, failure: TokenFailure?
    ) {
        let second = min(max(0, Int(instant.components.seconds)), Self.timelineLimit)
        if tokenTimeline.count <= second {
            tokenTimeline += Array(repeating: 0, count: second + 1 - tokenTimeline.count)
        }
        tokenTimeline[second] += 1
        tokenRequests += 1
        tokenLatency.record(latency)
        tokenReasons[reason.name, default: 0] += 1
        if let failure { tokenFailures[failure.code, default: 0] += 1 }
    }

    /// Adds another part's counts (another identity's, another client's, another shard's).
    package mutating func add(_ other: AuthStatistics) {
        identities = max(identities, other.identities)
        tokenRequests += other.tokenRequests
        tokenLatency.merge(other.tokenLatency)
        tokenFailures.merge(other.tokenFailures, uniquingKeysWith: +)
        tokenReasons.merge(other.tokenReasons, uniquingKeysWith: +)
        identitiesRetired += other.identitiesRetired
        rejected += other.rejected
        insufficientScope += other.insufficientScope
        retriesAfterReauth += other.retriesAfterReauth
        waitedForToken += other.waitedForToken
        recovery.merge(other.recovery)
        if tokenTimeline.count < other.tokenTimeline.count {
            tokenTimeline += Array(repeating: 0, count: other.tokenTimeline.count - tokenTimeline.count)
        }
        for (second, count) in other.tokenTimeline.enumerated() { tokenTimeline[second] += count }
    }
}

extension TokenLifecycle.Reason {
    /// The name in results and reports.
    package var name: String {
        switch self {
        case .initial: "initial"
        case .proactive: "proactive"
        case .rejected: "rejected"
        case .reacquire: "reacquire"
        case .stepUp: "step_up"
        }
    }
}
