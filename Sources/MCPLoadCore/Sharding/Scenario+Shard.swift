/// Where a shard's part of the load sits in the whole: `{{vu}}` stays unique across shards.
package struct ShardAssignment: Sendable, Hashable {
    package var shard: Shard
    /// Clients of the shards before this one: this shard's client 1 is `{{vu}}` offset + 1.
    package var virtualClientOffset: Int
    /// The whole load's clients (or the open model's cap), before the split.
    package var totalVirtualClients: Int

    package init(shard: Shard, virtualClientOffset: Int, totalVirtualClients: Int) {
        self.shard = shard
        self.virtualClientOffset = virtualClientOffset
        self.totalVirtualClients = totalVirtualClients
    }
}

extension Scenario {
    /// The scenario as shard `shard` runs it: its share of the clients (closed model), or every
    /// N-th arrival of the schedule and its share of the client cap (open model), so that the
    /// shards together make exactly the scenario's load.
    package func sharded(_ shard: Shard) throws(ShardError) -> Scenario {
        guard load.ceiling == nil else {
            throw ShardError(
                "a ceiling search cannot be sharded: each rate it tries needs the whole load's verdict; run it on one machine"
            )
        }
        var sharded = self
        let total = load.virtualClients
        let part = shard.share(of: total)
        if var pacer = load.pacer {
            // Every shard keeps at least one client to start its arrivals on.
            sharded.load.virtualClients = max(1, part.count)
            pacer.stride = ArrivalStride(shard: shard)
            sharded.load.pacer = pacer
        } else {
            guard part.count > 0 else {
                throw ShardError(
                    "shard \(shard.description) has no virtual clients: \(total) split over \(shard.count) shards; use at most \(total) shards"
                )
            }
            sharded.load.virtualClients = part.count
        }
        if case .pool(let size) = session.strategy {
            sharded.session.strategy = .pool(max(1, shard.share(of: size).count))
        }
        sharded.shard = ShardAssignment(
            shard: shard, virtualClientOffset: part.offset, totalVirtualClients: total)
        return sharded
    }
}
