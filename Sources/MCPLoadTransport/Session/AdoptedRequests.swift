import MCPLoadCore
import MCPLoadJSONRPC
import Synchronization

/// A session's request ids, numbered from 1: taken by the session's actor and, without a hop
/// onto it, by the engine's event-loop lane, which sends on the same session.
package final class RequestIDs: Sendable {
    private let next = Atomic<Int64>(1)

    package init() {}

    package func take() -> JSONRPCID {
        .number(next.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    /// Whether `number` is an id this session has handed out.
    func issued(_ number: Int64) -> Bool {
        (1..<next.load(ordering: .relaxed)).contains(number)
    }
}

/// Requests sent outside the session's actor (the engine's event-loop lane), whose answers
/// may still arrive through the session's reader: an SSE answer, its stream's end, the
/// session's end. Each id's arrival goes to the function registered for it, once.
package final class AdoptedRequests: Sendable {
    package typealias Delivery = @Sendable (JSONRPCClient.Arrival) -> Void

    private let pending = Mutex<[JSONRPCID: Delivery]>([:])

    package init() {}

    /// Registers `id` before its request is written, so that no answer can beat it.
    package func register(_ id: JSONRPCID, _ delivery: @escaping Delivery) {
        pending.withLock { $0[id] = delivery }
    }

    /// The lane settled `id` itself (its JSON answer, its deadline).
    package func remove(_ id: JSONRPCID) {
        _ = pending.withLock { $0.removeValue(forKey: id) }
    }

    /// Hands `arrival` to whoever adopted `id`; false when nobody did.
    func deliver(_ arrival: JSONRPCClient.Arrival, to id: JSONRPCID) -> Bool {
        guard let delivery = pending.withLock({ $0.removeValue(forKey: id) }) else { return false }
        delivery(arrival)
        return true
    }

    /// Hands every adopted request the same arrival (the session ended, a line failed them all).
    func deliverToAll(_ arrival: JSONRPCClient.Arrival) -> Bool {
        let all = pending.withLock { pending in
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for delivery in all { delivery(arrival) }
        return !all.isEmpty
    }
}
