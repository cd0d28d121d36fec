/// Where HTTP answers came from, when the server names the replica that served each one in a
/// header (`target.replicaHeader`): requests and session breaks per replica. Behind a
/// round-robin load balancer a stateful session's requests land on replicas that never saw it,
/// and the breaks show where.
package struct ReplicaTally: Sendable, Hashable, Codable {
    package struct Count: Sendable, Hashable, Codable {
        /// Answers this replica gave.
        package var requests: UInt64 = 0
        /// Of those, 404 or 400: a session this replica did not know.
        package var sessionBreaks: UInt64 = 0

        package init(requests: UInt64 = 0, sessionBreaks: UInt64 = 0) {
            self.requests = requests
            self.sessionBreaks = sessionBreaks
        }
    }

    /// By replica name; answers without the header count under ``unnamed``.
    package private(set) var byReplica: [String: Count] = [:]

    /// Names come from the server: past this many distinct ones, the rest are counted together.
    package static let distinctLimit = [String: Count].distinctNameLimit
    package static let unnamed = "(no replica header)"
    package static let others = "(other replicas)"

    package init(byReplica: [String: Count] = [:]) {
        self.byReplica = byReplica
    }

    /// One answer, from `replica` (nil when the header was missing), with its HTTP status.
    package mutating func record(replica: String?, status: Int) {
        let name = key(replica ?? Self.unnamed)
        byReplica[name, default: Count()].requests += 1
        if status == 404 || status == 400 { byReplica[name, default: Count()].sessionBreaks += 1 }
    }

    package mutating func merge(_ other: ReplicaTally) {
        for (name, count) in other.byReplica {
            let name = key(name)
            byReplica[name, default: Count()].requests += count.requests
            byReplica[name, default: Count()].sessionBreaks += count.sessionBreaks
        }
    }

    package var isEmpty: Bool { byReplica.isEmpty }

    /// Replicas by name, for reports.
    package var sorted: [(name: String, count: Count)] {
        byReplica.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private func key(_ name: String) -> String {
        byReplica.boundedKey(name, overflow: Self.others)
    }
}
