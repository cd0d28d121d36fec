/// What the run measured itself, apart from its clients: the sessions of its pool, what its
/// fan-in proxy saw, its open-model dispatcher, the stderr of servers it shared.
public struct RunMeasurements: Sendable {
    /// The pool's sessions (`pool: N`), opened once for the run.
    public var sessions = SessionStatistics()
    public var protocolTraffic = ProtocolStatistics()
    public var fanIn: FanInStatistics?
    public var pacing: PacingStatistics?
    /// The last lines the shared servers (fan-in) wrote to stderr.
    public var stderrTail: [String] = []

    public init() {}

    /// Adds another part's measurements (a matrix of parts, several shared servers).
    public mutating func merge(_ other: RunMeasurements) {
        sessions.merge(other.sessions)
        protocolTraffic.merge(other.protocolTraffic)
        if let proxy = other.fanIn { fanIn = (fanIn ?? FanInStatistics()).merged(with: proxy) }
        if let own = other.pacing {
            if pacing == nil { pacing = own } else { pacing?.merge(own) }
        }
        stderrTail += other.stderrTail
    }
}
