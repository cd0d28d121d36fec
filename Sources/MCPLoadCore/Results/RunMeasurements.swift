/// What the run measured itself, apart from its clients: the sessions of its pool, what its
/// fan-in proxy saw, its open-model dispatcher, the stderr of servers it shared.
package struct RunMeasurements: Sendable {
    /// The pool's sessions (`pool: N`), opened once for the run.
    package var sessions = SessionStatistics()
    package var protocolTraffic = ProtocolStatistics()
    package var fanIn: FanInStatistics?
    package var pacing: PacingStatistics?
    /// The last lines the shared servers (fan-in) wrote to stderr.
    package var stderrTail: [String] = []

    package init() {}

    /// Adds another part's measurements (a matrix of parts, several shared servers).
    package mutating func merge(_ other: RunMeasurements) {
        sessions.merge(other.sessions)
        protocolTraffic.merge(other.protocolTraffic)
        if let proxy = other.fanIn { fanIn = (fanIn ?? FanInStatistics()).merged(with: proxy) }
        if let own = other.pacing {
            if pacing == nil { pacing = own } else { pacing?.merge(own) }
        }
        stderrTail += other.stderrTail
    }
}
