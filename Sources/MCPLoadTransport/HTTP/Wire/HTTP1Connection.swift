import MCPLoadCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One keep-alive HTTP/1.1 connection on SwiftNIO, carrying one request at a time.
///
/// A session's POSTs are the hot path of an HTTP run. Writing each request and reading its
/// answer on the event loop, with one promise between the loop and the session's task, costs
/// a fraction of what a general-purpose client spends per request on pooling, streamed bodies
/// and their state machines (`scripts/bench-http` measures both against wrk). Long-lived GET
/// streams stay with AsyncHTTPClient, where that machinery is worth its cost.
final class HTTP1Connection: Sendable {
    private let channel: any Channel
    /// The channel's exchange handler, which requests are handed to directly on its loop.
    private let handler: NIOLoopBound<HTTP1ExchangeHandler>

    private init(channel: any Channel, handler: NIOLoopBound<HTTP1ExchangeHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Connects, with TLS for https. Fails as `not_sent`: nothing of a request left yet.
    static func open(
        to origin: HTTPOrigin, connectTimeout: Duration, idleTimeout: Duration?
    ) async throws(Failure)
        -> HTTP1Connection
    {
        let tls: NIOSSLContext?
        do {
            tls = origin.secure ? try TLSContext.shared.get() : nil
        } catch {
            throw Failure(.notSent, "cannot set up TLS: \(error)")
        }
        let serverName = origin.isIPAddress ? nil : origin.host
        let idle = idleTimeout.map { TimeAmount.nanoseconds(Int64(clamping: $0.nanoseconds)) }
        let connectLimit = TimeAmount.nanoseconds(Int64(clamping: connectTimeout.nanoseconds))
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectLimit)
            // Requests are small and each waits for its answer: never hold one back for Nagle.
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        typealias Connected = (any Channel, NIOLoopBound<HTTP1ExchangeHandler>, EventLoopFuture<Void>?)
        let (channel, handler, handshake): Connected
        do {
            (channel, handler, handshake) = try await bootstrap.connect(host: origin.host, port: origin.port) {
                channel in
                channel.eventLoop.makeCompletedFuture { () -> Connected in
                    let pipeline = channel.pipeline.syncOperations
                    let handshake = try tls.map { tls throws in
                        try addTLS(tls, serverName: serverName, to: channel, within: connectTimeout)
                    }
                    let handler = HTTP1ExchangeHandler(idleTimeout: idle)
                    try pipeline.addHandler(handler)
                    return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop), handshake)
                }
            }
        } catch {
            throw Failure(.notSent, "could not connect: \(error)")
        }
        if let handshake { try await awaitHandshake(handshake, on: channel) }
        return HTTP1Connection(channel: channel, handler: handler)
    }

    /// Adds TLS before the HTTP handlers; the returned future completes with the handshake,
    /// which the connect timeout bounds too: a server may accept and then say nothing.
    private static func addTLS(
        _ tls: NIOSSLContext, serverName: String?, to channel: any Channel, within connectTimeout: Duration
    ) throws -> EventLoopFuture<Void> {
        let done = channel.eventLoop.makePromise(of: Void.self)
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
        try pipeline.addHandler(TLSHandshakeWaiter(done: done))
        let limit = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(clamping: connectTimeout.nanoseconds))) {
            done.fail(Failure(.notSent, "TLS handshake not done within \(DurationText.format(connectTimeout))"))
            channel.close(promise: nil)
        }
        done.futureResult.whenComplete { _ in limit.cancel() }
        return done.futureResult
    }

    /// Waits for the TLS handshake; a failed or cancelled one closes the channel.
    private static func awaitHandshake(
        _ handshake: EventLoopFuture<Void>, on channel: any Channel
    ) async throws(Failure) {
        do {
            try await withTaskCancellationHandler {
                try await handshake.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            channel.close(promise: nil)
            throw (error as? Failure) ?? Failure(.notSent, "TLS handshake failed: \(error)")
        }
    }

    /// Whether another request can go out on it (the server has not closed it).
    var isOpen: Bool { channel.isActive }

    /// The loop its I/O runs on.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Sends one request and returns its answer once the body is over. Cancelling the calling
    /// task while the answer is under way closes the connection (what is left of that answer
    /// could not be told from the next one's); once the answer is in, cancelling changes nothing.
    func send(_ request: HTTP1Request, reader: PostAnswerReader) async throws(Failure) -> PostAnswer {
        let (answer, cancel) = start(request, reader: reader)
        do {
            return try await withTaskCancellationHandler {
                try await answer.get()
            } onCancel: {
                cancel()
            }
        } catch {
            if Task.isCancelled { throw Failure(.timeout, "cancelled") }
            throw Self.failure(from: error)
        }
    }

    /// Writes one request and returns, without waiting: the future completes on the
    /// connection's event loop once the answer is over; `cancel` gives up on it (closing the
    /// connection) if it is still under way.
    func start(
        _ request: HTTP1Request, reader: PostAnswerReader
    ) -> (answer: EventLoopFuture<PostAnswer>, cancel: @Sendable () -> Void) {
        let answer = channel.eventLoop.makePromise(of: PostAnswer.self)
        let exchange = HTTP1Exchange(request: request, reader: reader, answer: answer)
        let handler = handler
        if channel.eventLoop.inEventLoop {
            handler.value.begin(exchange)
        } else {
            channel.eventLoop.execute { handler.value.begin(exchange) }
        }
        let pipeline = channel.pipeline
        return (
            answer.futureResult,
            { pipeline.fireUserInboundEventTriggered(CancelExchange(answer: answer.futureResult)) }
        )
    }

    /// What a failed exchange's error says as a failure class.
    static func failure(from error: any Error) -> Failure {
        (error as? Failure) ?? HTTPFailure.classify(error)
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// One TLS client context for every https connection of a process: building one loads the
/// system's trust roots, which is far too slow to do per connection.
private enum TLSContext {
    static let shared = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }
}
