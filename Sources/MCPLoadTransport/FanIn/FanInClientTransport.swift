import MCPLoadCore
import MCPLoadJSONRPC
import Synchronization

/// One client session's view of the fan-in proxy: a ``MessageTransport`` like any other.
final class FanInClientTransport: MessageTransport {
    let inbound: InboundQueue
    private let client: FanInRouter.Client
    private let proxy: FanInProxy
    /// Requests whose message is in the proxy's queue or being written, by id.
    private let pending = Mutex<[JSONRPCID: QueuedWrite]>([:])

    init(client: FanInRouter.Client, inbound: InboundQueue, proxy: FanInProxy) {
        self.client = client
        self.inbound = inbound
        self.proxy = proxy
    }

    /// A write that stalls is the shared server's, not this client's: aborting would end every
    /// client's server. The client gives up on its request instead.
    var abortsStalledWrites: Bool { false }

    func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        let writes = try await proxy.submit(message, from: client)
        if let id, let first = writes.first { pending.withLock { $0[id] = first } }
        defer {
            if let id { _ = pending.withLock { $0.removeValue(forKey: id) } }
        }
        for write in writes { try await write.written() }
    }

    func isQueued(_ id: JSONRPCID) async -> Bool {
        pending.withLock { $0[id]?.isQueued ?? false }
    }

    func abort() async {
        await proxy.detach(client)
    }
}
