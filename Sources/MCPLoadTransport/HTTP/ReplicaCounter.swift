import MCPLoadCore
import NIOHTTP1

/// Counts a session's HTTP answers per replica when the scenario names the header a server
/// uses to say which replica served it (`target.replicaHeader`); without one it counts nothing.
/// Shared by both HTTP transports: the POSTs of a Streamable HTTP session and the message
/// POSTs of a legacy SSE session each land on whichever replica the balancer picked.
final class ReplicaCounter: Sendable {
    private let header: String?
    private let tally = Locked<ReplicaTally?>(nil)

    init(header: String?) {
        self.header = header
    }

    /// The counts so far, nil when nothing was counted.
    var replicas: ReplicaTally? { tally.withLock { $0 } }

    func record(_ head: HTTPResponseHead) {
        guard let header else { return }
        let replica = head.headers.first(name: header)
        let status = Int(head.status.code)
        tally.withLock { tally in
            tally = tally ?? ReplicaTally()
            tally?.record(replica: replica, status: status)
        }
    }
}
