/// How well the open model kept its schedule. Mergeable across shards.
package struct PacingStatistics: Sendable, Equatable, Codable {
    /// Iterations per second the schedule asked for, on average over its duration.
    package var targetRate: Double
    /// Iterations the schedule asked for, those the dispatcher reached, and those it dropped
    /// because every client was busy.
    package var scheduled: UInt64
    package var dispatched: UInt64
    package var dropped: UInt64
    /// How long dispatching took (the schedule's duration, unless the run was stopped early).
    package var scheduleSeconds: Double
    /// How late the dispatcher woke for each due start, in microseconds: its own lag.
    package var dispatchLag: LatencyHistogram
    /// How late iterations started against their schedule, in microseconds: the dispatcher's
    /// lag plus the hand-over to the client (and, for a client's first iteration, its session
    /// setup). Every latency of an iteration includes its start lag.
    package var startLag = LatencyHistogram()

    package init(
        targetRate: Double, scheduled: UInt64, dispatched: UInt64, dropped: UInt64, scheduleSeconds: Double,
        dispatchLag: LatencyHistogram
    ) {
        self.targetRate = targetRate
        self.scheduled = scheduled
        self.dispatched = dispatched
        self.dropped = dropped
        self.scheduleSeconds = scheduleSeconds
        self.dispatchLag = dispatchLag
    }

    /// Iterations started per second of the schedule.
    package var achievedRate: Double {
        scheduleSeconds > 0 ? Double(dispatched - dropped) / scheduleSeconds : 0
    }

    package mutating func merge(_ other: PacingStatistics) {
        let seconds = max(scheduleSeconds, other.scheduleSeconds)
        targetRate += other.targetRate
        scheduled += other.scheduled
        dispatched += other.dispatched
        dropped += other.dropped
        scheduleSeconds = seconds
        dispatchLag.merge(other.dispatchLag)
        startLag.merge(other.startLag)
    }
}
