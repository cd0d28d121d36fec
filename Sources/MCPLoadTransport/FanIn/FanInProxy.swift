import MCPLoadCore
import NIOCore

/// mcpload's built-in fan-in proxy: many client sessions multiplexed onto one server's
/// stdin and stdout, as stdio-to-HTTP proxies do in production.
///
/// The ``FanInRouter`` decides; the proxy does the I/O. One writer feeds the server's stdin
/// in the order messages were submitted (a slow or stalled server makes the queue grow, and
/// clients that give up while queued never reached it); one reader hands every server line to
/// the client(s) the router names, waiting while a client's inbox is full.
package actor FanInProxy {
    private var router: FanInRouter
    private let upstream: any MessageTransport
    private var inboxes: [FanInRouter.Client: InboundQueue] = [:]
    /// Messages waiting for the server's stdin, in order, withdrawn ones included until dropped.
    private var outbox = CircularBuffer<QueuedWrite>()
    private var outboxBytes = 0
    /// The outbox's length at which withdrawn messages are dropped next (doubling: amortised O(1)).
    private var compactAt = 256
    /// Rings when the outbox gets a message, or closes.
    private let doorbell = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    private var outboxClosed = false
    /// The write in progress, if any: at shutdown, a write stuck on a server that stopped reading.
    private var currentWrite: QueuedWrite?
    private var closedReason: String?

    /// Messages (and bytes) queued for a server that stopped reading; more are refused as never sent.
    static let outboxLimit = 10_000
    static let outboxByteLimit = 64 << 20

    private init(upstream: any MessageTransport, settings: FanInSettings) {
        self.upstream = upstream
        router = FanInRouter(settings: settings)
    }

    /// Runs a proxy in front of `upstream` while `body` runs; returns what the body returned and
    /// what the proxy saw. The proxy's reader and writer are child tasks, ended on the way out.
    package static func withProxy<Value: Sendable>(
        inFrontOf upstream: any MessageTransport, settings: FanInSettings,
        _ body: @Sendable (FanInProxy) async -> Value
    ) async -> (Value, FanInStatistics) {
        let proxy = FanInProxy(upstream: upstream, settings: settings)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await proxy.writeToServer() }
            group.addTask { await proxy.readFromServer() }
            let value = await body(proxy)
            await proxy.shutDown()
            group.cancelAll()
            await group.waitForAll()
            return (value, await proxy.router.statistics)
        }
    }

    /// Attaches a client session for the duration of `body`; its transport goes through the proxy.
    package nonisolated func withClient<Value: Sendable>(
        _ body: @Sendable (any MessageTransport) async -> Value
    ) async -> Value {
        let (client, inbound) = await attach()
        let value = await body(FanInClientTransport(client: client, inbound: inbound, proxy: self))
        await detach(client)
        return value
    }

    // MARK: Clients

    private func attach() -> (FanInRouter.Client, InboundQueue) {
        let client = router.attach()
        let inbound = InboundQueue()
        if let closedReason {
            inbound.yield(.closed(closedReason))
            inbound.finish()
        } else {
            inboxes[client] = inbound
        }
        return (client, inbound)
    }

    func detach(_ client: FanInRouter.Client) {
        router.detach(client)
        inboxes.removeValue(forKey: client)?.finish()
    }

    /// Routes one client message; returns the writes it queued for the server (none when the
    /// proxy answered it itself or dropped it).
    func submit(_ message: [UInt8], from client: FanInRouter.Client) throws(Failure) -> [QueuedWrite] {
        if let closedReason { throw Failure(.notSent, "connection closed: \(closedReason)") }
        dropWithdrawn()
        guard outbox.count < Self.outboxLimit, outboxBytes < Self.outboxByteLimit else {
            throw Failure(
                .notSent, "the proxy's queue is full (\(outbox.count) messages): the shared server stopped reading")
        }
        var writes: [QueuedWrite] = []
        for action in router.fromClient(client, message) {
            switch action {
            case .forward(let bytes):
                let write = QueuedWrite(bytes: bytes)
                outbox.append(write)
                outboxBytes += bytes.count
                doorbell.continuation.yield()
                writes.append(write)
            case .deliver(let bytes, let recipient):
                inboxes[recipient]?.yield(.frame(.line(bytes)))
            }
        }
        return writes
    }

    /// Drops the messages whose clients gave up while they were queued, once the queue has
    /// doubled since the last time: a stalled server must not keep every withdrawn one.
    private func dropWithdrawn() {
        guard outbox.count >= compactAt else { return }
        outbox = CircularBuffer(outbox.filter { !$0.isWithdrawn })
        outboxBytes = outbox.reduce(0) { $0 + $1.bytes.count }
        compactAt = max(256, 2 * outbox.count)
    }

    /// The next message for the server, waiting for one; nil once the outbox is closed.
    private func nextWrite() async -> QueuedWrite? {
        var rings = doorbell.stream.makeAsyncIterator()
        while true {
            if let write = outbox.popFirst() {
                outboxBytes -= write.bytes.count
                return write
            }
            if outboxClosed { return nil }
            guard await rings.next() != nil else { return nil }
        }
    }

    // MARK: Server

    private func writeToServer() async {
        while let write = await nextWrite() {
            guard write.beginWriting() else { continue }
            currentWrite = write
            do {
                try await upstream.send(write.bytes, awaiting: nil)
                write.finish(nil)
            } catch {
                write.finish(error)
            }
            currentWrite = nil
        }
    }

    private func readFromServer() async {
        for await event in upstream.inbound {
            switch event {
            case .frame(.line(let line)):
                for case .deliver(let bytes, let recipient) in router.fromServer(line) {
                    guard let inbox = inboxes[recipient] else { continue }
                    // A client that reads slower than the server writes holds the reading back.
                    if !inbox.yield(.frame(.line(bytes))) { await inbox.waitForRoom() }
                }
            case .frame(.oversize):
                // Too long to read, so nobody can tell whose it is: every client with a request
                // in flight may be waiting for it.
                for inbox in inboxes.values { inbox.yield(event) }
            case .closed(let reason):
                close("the shared server ended: \(reason)")
            case .responseStreamEnded, .streamResumed, .listeningStream:
                break
            }
        }
        close("the shared server's output ended")
    }

    private func close(_ reason: String) {
        guard closedReason == nil else { return }
        closedReason = reason
        for inbox in inboxes.values {
            inbox.yield(.closed(reason))
            inbox.finish()
        }
        inboxes.removeAll()
    }

    private func shutDown() async {
        outboxClosed = true
        doorbell.continuation.finish()
        close("the run ended")
        // A write still in progress is blocked on a server that stopped reading; only ending
        // the server frees it, and the run is over.
        if currentWrite != nil { await upstream.abort() }
    }
}
