import MCPLoadCore
import MCPLoadTransport

/// A run's identities (`auth:`): made once the MCP endpoint is known (discovery needs it),
/// given their first tokens before the load starts, kept fresh beside the load, and counted.
///
/// Client `k` (its number across shards) belongs to identity `(k-1) % N + 1`. In the naive mode
/// every client holds a token of its own (with its identity's credentials), as naive clients do.
struct IdentityRegistry: Sendable {
    /// By local client index (1-based); shared objects when clients share an identity.
    private let byClient: [Identity]
    /// Each object once.
    private let all: [Identity]

    func identity(ofClient index: Int) -> Identity? {
        byClient.indices.contains(index - 1) ? byClient[index - 1] : nil
    }

    /// The identities for `plan`'s clients over HTTP at `endpoint`; discovery first, when OAuth
    /// asks for it. Throws a `token_endpoint` failure when discovery fails.
    static func make(
        _ plan: RunPlan, auth: ResolvedAuth, http: OAuthHTTP, endpoint: String
    ) async throws(Failure)
        -> IdentityRegistry
    {
        let clients = plan.scenario.load.virtualClients
        let total = plan.scenario.shard?.totalVirtualClients ?? clients
        let count = auth.identityCount(virtualClients: total)
        let numbers = (1...clients).map { AuthSettings.identity(ofClient: plan.globalVirtualClient($0), among: count) }
        // Resolving `auth:` checked this before any load; a plan made otherwise is refused, not trusted.
        guard (auth.settings.oauth == nil ? auth.tokens.count : auth.clients.count) >= count else {
            throw Failure(.tokenEndpoint, "credentials for \(count) identities were not resolved")
        }
        guard let oauth = auth.settings.oauth else {
            return sharing(numbers) { number in
                Identity(
                    number: number, staticToken: auth.tokens[number - 1], clock: plan.clock,
                    statistics: AuthStatistics(mode: AuthStatistics.Mode.staticTokens, identities: count))
            }
        }
        let discovery = OAuthDiscovery(http: http, timeout: oauth.timeout)
        let endpoints = try await discovery.endpoints(for: oauth, mcpEndpoint: endpoint)
        let mode = oauth.naive ? AuthStatistics.Mode.naiveOAuth : AuthStatistics.Mode.oauth
        // Made (and their keys checked) once per identity, before any client needs one.
        var grantors: [Int: TokenGrantor] = [:]
        for number in Set(numbers) {
            grantors[number] = try TokenGrantor(
                http: http, endpoints: endpoints, client: auth.clients[number - 1],
                authentication: oauth.clientAuthentication, timeout: oauth.timeout)
        }
        func makeIdentity(_ number: Int) -> Identity? {
            guard let grantor = grantors[number] else { return nil }
            return Identity(
                number: number, grantor: grantor, configuration: oauth.refresh, scopes: endpoints.scopes,
                clock: plan.clock, issued: plan.issuedSecrets, statistics: AuthStatistics(mode: mode, identities: count)
            )
        }
        if oauth.naive {
            let byClient = numbers.compactMap(makeIdentity)
            return IdentityRegistry(byClient: byClient, all: byClient)
        }
        return sharing(numbers) { makeIdentity($0) }
    }

    /// One identity per number, shared by the clients that have that number.
    private static func sharing(_ numbers: [Int], _ make: (Int) -> Identity?) -> IdentityRegistry {
        var shared: [Int: Identity] = [:]
        let byClient = numbers.compactMap { number -> Identity? in
            if let identity = shared[number] { return identity }
            let identity = make(number)
            shared[number] = identity
            return identity
        }
        return IdentityRegistry(byClient: byClient, all: shared.keys.sorted().compactMap { shared[$0] })
    }

    /// How many first tokens are asked for at once before the load: enough to be quick, few
    /// enough not to be a storm of our own making.
    static let acquisitionWidth = 16

    /// Every identity's first token, before the load starts. Nil when at least one identity has
    /// one; otherwise the first failure, and the run cannot start.
    func acquireAll() async -> Failure? {
        let failures = await withTaskGroup(of: Failure?.self, returning: [Failure].self) { group in
            var pending = all.makeIterator()
            for _ in 0..<Self.acquisitionWidth {
                guard let identity = pending.next() else { break }
                group.addTask { await identity.ensureToken() }
            }
            var failures: [Failure] = []
            for await failure in group {
                if let failure { failures.append(failure) }
                if let identity = pending.next() { group.addTask { await identity.ensureToken() } }
            }
            return failures
        }
        return failures.count == all.count ? failures.first : nil
    }

    /// Refreshes tokens before they expire, off the clients' path, until `stop` is set (or the
    /// task is cancelled): wakes at the earliest refresh due, at most every `tick`, refreshes
    /// every identity that is due, each in its own task so that one slow token request delays
    /// no other. A refresh under way when the load ends is finished, not cut: cut, its answer
    /// (a rotated refresh token among it) would be lost.
    func refreshProactively(clock: any EngineClock, until stop: StopSignal, tick: Duration = .milliseconds(100)) async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !stop.isSet {
                var earliest: Duration?
                for identity in all {
                    guard let due = identity.refreshDue else { continue }
                    if due <= clock.now {
                        group.addTask { await identity.refreshIfDue() }
                    } else {
                        earliest = min(earliest ?? due, due)
                    }
                }
                let wake = min(earliest ?? clock.now + tick, clock.now + tick)
                do {
                    try await clock.sleep(until: wake)
                } catch {
                    return
                }
            }
        }
    }

    /// Every identity's token requests and refusals, added up.
    func statistics() async -> AuthStatistics? {
        var total: AuthStatistics?
        for identity in all {
            let part = await identity.statistics
            if total == nil { total = part } else { total?.add(part) }
        }
        return total
    }
}
