import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore

/// A set of JSON-RPC ids that keeps only the most recent ones, up to a capacity: for what a
/// server may never come back for (answers to clients that left, its own requests nobody
/// answered), so that a server which never does cannot grow the proxy without bound.
struct RecentIDs {
    let capacity: Int
    private var members: Set<JSONRPCID> = []
    private var order = CircularBuffer<JSONRPCID>()

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { members.count }

    /// Adds `id`, forgetting the oldest member when full.
    mutating func insert(_ id: JSONRPCID) {
        guard members.insert(id).inserted else { return }
        order.append(id)
        // Ids removed out of order leave stale entries in `order`: popping one is harmless.
        while members.count > capacity, let oldest = order.popFirst() { members.remove(oldest) }
        // When stale entries make up half, drop them all at once (amortised constant time).
        if order.count > 2 * capacity { order = CircularBuffer(order.filter { members.contains($0) }) }
    }

    /// Removes `id`; whether it was there.
    @discardableResult
    mutating func remove(_ id: JSONRPCID) -> Bool {
        members.remove(id) != nil
    }

    func contains(_ id: JSONRPCID) -> Bool { members.contains(id) }
}
