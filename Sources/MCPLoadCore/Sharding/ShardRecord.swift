import Foundation

/// What one shard of a sharded run writes about itself in result.json: which part of the load
/// it ran, and when it was ready and really started, so that a merge can say how far apart the
/// shards started (the start skew) and which started late.
package struct ShardRecord: Sendable, Equatable, Codable {
    package var index: Int
    package var count: Int
    /// This shard's clients are `{{vu}}` offset + 1 … offset + clients.
    package var virtualClientOffset: Int
    package var virtualClients: Int
    /// The whole load's clients (or the open model's cap) before the split.
    package var totalVirtualClients: Int
    /// `--start-at`, when the shards were given one.
    package var scheduledStart: Date?
    /// When this shard had its sessions open (and its servers up), ready to start its load.
    package var readyAt: Date?
    /// When its load really started: the scheduled start, or later if it was not ready by then.
    package var loadStartedAt: Date?
    /// How long after the scheduled start its load really began, measured on the shard's own
    /// clock (microseconds matter here; the times above are written to the millisecond).
    package var lateBySeconds: Double?

    package init(
        index: Int, count: Int, virtualClientOffset: Int, virtualClients: Int, totalVirtualClients: Int,
        scheduledStart: Date? = nil, readyAt: Date? = nil, loadStartedAt: Date? = nil, lateBySeconds: Double? = nil
    ) {
        self.index = index
        self.count = count
        self.virtualClientOffset = virtualClientOffset
        self.virtualClients = virtualClients
        self.totalVirtualClients = totalVirtualClients
        self.scheduledStart = scheduledStart
        self.readyAt = readyAt
        self.loadStartedAt = loadStartedAt
        self.lateBySeconds = lateBySeconds
    }

    /// Whether the shard was not ready by the scheduled start.
    package var startedLate: Bool {
        guard let scheduledStart, let readyAt else { return false }
        return readyAt > scheduledStart
    }
}
