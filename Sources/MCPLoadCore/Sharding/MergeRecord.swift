/// What `mcpload merge` writes about the shards it merged: which were there, which were
/// missing, how far apart they started.
package struct MergeRecord: Sendable, Equatable, Codable {
    /// Shards the load was split into (N of `--shard I/N`).
    package var shards: Int
    /// The shards merged, and those whose results were missing (1-based).
    package var present: [Int]
    package var missing: [Int]
    /// Latest minus earliest load start of the shards merged: how far apart they started.
    package var startSkewSeconds: Double?
    /// Shards that were not ready by the scheduled start, and so started late.
    package var lateShards: [Int]
    /// Shards whose own harness was saturated: their figures are unreliable, and so the merge's.
    package var saturatedShards: [Int]
    /// The whole load's clients, and those the shards present ran.
    package var intendedVirtualClients: Int
    package var achievedVirtualClients: Int
    /// `--allow-partial`: missing shards do not fail the thresholds by themselves.
    package var partialAllowed: Bool

    package init(
        shards: Int, present: [Int], missing: [Int], startSkewSeconds: Double?, lateShards: [Int],
        saturatedShards: [Int], intendedVirtualClients: Int, achievedVirtualClients: Int, partialAllowed: Bool
    ) {
        self.shards = shards
        self.present = present
        self.missing = missing
        self.startSkewSeconds = startSkewSeconds
        self.lateShards = lateShards
        self.saturatedShards = saturatedShards
        self.intendedVirtualClients = intendedVirtualClients
        self.achievedVirtualClients = achievedVirtualClients
        self.partialAllowed = partialAllowed
    }

    /// The threshold every merge adds: all shards present (or `--allow-partial`).
    package static let completenessThreshold = "shards.missing == 0"
}
