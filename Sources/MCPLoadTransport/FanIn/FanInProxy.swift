import MCPLoadCore

/// mcpload's built-in fan-in proxy: many client sessions multiplexed onto one server's
/// stdin and stdout, as stdio-to-HTTP proxies do in production.
///
/// The ``FanInRouter`` decides; the proxy does the I/O. One writer feeds the server's stdin
/// in the order messages were submitted (a slow or stalled server makes the queue grow, and
/// clients that give up while queued never reached it); one reader hands every server line to
/// the client(s) the router names.
public actor FanInProxy {
    private var router: FanInRouter
    private let upstream: any MessageTransport
    private var inboxes: [FanInRouter.Client: AsyncStream<InboundEvent>.Continuation] = [:]
    private let outbox: AsyncStream<QueuedWrite>
    private let outboxInput: AsyncStream<QueuedWrite>.Continuation
    /// The write in progress, if any: at shutdown, a write stuck on a server that stopped reading.
    private var currentWrite: QueuedWrite?
    private var closedReason: String?

    private init(upstream: any MessageTransport, settings: FanInSettings) {
        self.upstream = upstream
        router = FanInRouter(settings: settings)
        (outbox, outboxInput) = AsyncStream.makeStream(of: QueuedWrite.self)
    }

    /// Runs a proxy in front of `upstream` while `body` runs; returns what the body returned and
    /// what the proxy saw. The proxy's reader and writer are child tasks, ended on the way out.
    public static func withProxy<Value: Sendable>(
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
    public nonisolated func withClient<Value: Sendable>(
        _ body: @Sendable (any MessageTransport) async -> Value
    ) async -> Value {
        let (client, inbound) = await attach()
        let value = await body(FanInClientTransport(client: client, inbound: inbound, proxy: self))
        await detach(client)
        return value
    }

    // MARK: Clients

    private func attach() -> (FanInRouter.Client, AsyncStream<InboundEvent>) {
        let client = router.attach()
        let (inbound, continuation) = AsyncStream.makeStream(of: InboundEvent.self)
        if let closedReason {
            continuation.yield(.closed(closedReason))
            continuation.finish()
        } else {
            inboxes[client] = continuation
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
        var writes: [QueuedWrite] = []
        for action in router.fromClient(client, message) {
            switch action {
            case .forward(let bytes):
                let write = QueuedWrite(bytes: bytes)
                outboxInput.yield(write)
                writes.append(write)
            case .deliver(let bytes, let recipient):
                inboxes[recipient]?.yield(.frame(.line(bytes)))
            }
        }
        return writes
    }

    // MARK: Server

    private func writeToServer() async {
        for await write in outbox where write.beginWriting() {
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
                    inboxes[recipient]?.yield(.frame(.line(bytes)))
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
        outboxInput.finish()
        close("the run ended")
        // A write still in progress is blocked on a server that stopped reading; only ending
        // the server frees it, and the run is over.
        if currentWrite != nil { await upstream.abort() }
    }
}
