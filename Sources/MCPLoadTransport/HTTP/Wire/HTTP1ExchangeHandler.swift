import MCPLoadCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// A request for an ``HTTP1Connection``: a head and body to write, or the bytes already.
package enum HTTP1Request: Sendable {
    case parts(HTTPRequestHead, body: ByteBuffer?)
    /// Rendered by the sender (a session's POSTs, from its ``PostHeadTemplate``).
    case encoded(ByteBuffer, keepAlive: Bool)

    /// The bytes that go on the wire.
    func bytes(allocator: ByteBufferAllocator) throws(Failure) -> ByteBuffer {
        switch self {
        case .parts(let head, let body): try HTTP1RequestWriter.bytes(of: head, body: body, allocator: allocator)
        case .encoded(let bytes, _): bytes
        }
    }

    /// Whether the request lets the connection carry another one after it.
    var keepAlive: Bool {
        switch self {
        case .parts(let head, _): head.isKeepAlive
        case .encoded(_, let keepAlive): keepAlive
        }
    }
}

/// One request on an ``HTTP1Connection`` and where its answer goes.
package struct HTTP1Exchange: Sendable {
    var request: HTTP1Request
    var reader: PostAnswerReader
    var answer: EventLoopPromise<PostAnswer>

    package init(request: HTTP1Request, reader: PostAnswerReader, answer: EventLoopPromise<PostAnswer>) {
        self.request = request
        self.reader = reader
        self.answer = answer
    }

    package init(
        head: HTTPRequestHead, body: ByteBuffer?, reader: PostAnswerReader, answer: EventLoopPromise<PostAnswer>
    ) {
        self.init(request: .parts(head, body: body), reader: reader, answer: answer)
    }
}

/// Asks the handler to give up on one exchange, if it is still the one under way: a task
/// cancelled after its answer arrived must not cost the connection.
struct CancelExchange: Sendable {
    var answer: EventLoopFuture<PostAnswer>
}

/// Writes one request at a time and reads its answer where the bytes arrive, on the event loop:
/// the answer's messages reach the session as they complete, and the task that sent the
/// request wakes once, when the answer is over.
///
/// With an idle timeout, an answer that is silent that long (no bytes at all, an SSE stream
/// included) fails as a timeout. The timer runs only while a request is out, so a connection
/// waiting between requests is not mistaken for a silent answer.
package final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    package typealias InboundIn = ByteBuffer
    package typealias OutboundIn = HTTP1Exchange
    package typealias OutboundOut = ByteBuffer

    private let idleTimeout: TimeAmount?
    /// Why the connection ended, when no request was out to be told: the next request, whose
    /// write then finds the connection closed, fails with this reason.
    private var endedBetweenRequests: Failure?
    private var reader: PostAnswerReader?
    private var parser = HTTP1ResponseParser()
    /// Bytes read but not yet parsed: the start of a head or a chunk line split across reads.
    private var unparsed: ByteBuffer?
    private var answer: EventLoopPromise<PostAnswer>?
    /// A 1xx head was read: its end is not the answer's.
    private var readingInterimHead = false
    private var keepAlive = true
    /// The request out has been handed to the socket whole.
    private var requestWritten = false
    private var lastRead = NIODeadline.now()
    private var silenceCheck: Scheduled<Void>?
    /// Set while the handler is in its pipeline: what ``begin(_:)`` writes through.
    private var context: ChannelHandlerContext?

    package init(idleTimeout: TimeAmount?) {
        self.idleTimeout = idleTimeout
    }

    /// Why a request found its connection closed: how it ended, if known.
    private var closedBeforeWriting: Failure {
        endedBetweenRequests ?? Failure(.notSent, "the connection closed before the request was written")
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        begin(unwrapOutboundIn(data), context: context, flush: false, promise: promise)
    }

    /// Starts an exchange without a trip through the pipeline (its boxing, a promise for the
    /// write): called by the connection on the channel's event loop. A handler no longer in
    /// its pipeline (the connection closed) fails the exchange as never sent.
    func begin(_ exchange: HTTP1Exchange) {
        guard let context else {
            exchange.answer.fail(closedBeforeWriting)
            return
        }
        begin(exchange, context: context, flush: true, promise: nil)
    }

    private func begin(
        _ exchange: HTTP1Exchange, context: ChannelHandlerContext, flush: Bool, promise: EventLoopPromise<Void>?
    ) {
        guard answer == nil else {
            // The connection pool hands a connection to one request at a time; this is a bug guard.
            exchange.answer.fail(Failure(.notSent, "the connection is busy with another request"))
            promise?.succeed()
            return
        }
        guard context.channel.isActive else {
            // Closed since it was taken from the idle ones: nothing of the request went out.
            exchange.answer.fail(closedBeforeWriting)
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        let request: ByteBuffer
        do {
            request = try exchange.request.bytes(allocator: context.channel.allocator)
        } catch {
            exchange.answer.fail(error)
            promise?.succeed()
            return
        }
        reader = exchange.reader
        answer = exchange.answer
        requestWritten = false
        readingInterimHead = false
        keepAlive = exchange.request.keepAlive
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                self.requestWritten = true
            case .failure:
                // The channel is going down; its end (`channelInactive`) fails the request,
                // unless an error that says more (`errorCaught`) does first.
                context.close(promise: nil)
            }
            promise?.completeWith(result)
        }
        if flush {
            context.writeAndFlush(wrapOutboundOut(request), promise: written)
        } else {
            context.write(wrapOutboundOut(request), promise: written)
        }
        if let idleTimeout {
            lastRead = .now()
            scheduleSilenceCheck(context: context, after: idleTimeout)
        }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        // Any byte counts against silence, a head that trickles in included.
        if idleTimeout != nil, answer != nil { lastRead = .now() }
        if var earlier = unparsed {
            earlier.writeBuffer(&bytes)
            bytes = earlier
            unparsed = nil
        }
        do {
            while let part = try parser.next(&bytes) { handle(part, context: context) }
        } catch {
            fail(Self.failure(for: error), context: context)
            return
        }
        if bytes.readableBytes > 0 { unparsed = bytes }
    }

    private func handle(_ part: HTTP1ResponseParser.Part, context: ChannelHandlerContext) {
        guard answer != nil else { return }  // nothing was asked: there is nobody to tell
        switch part {
        case .head(let head):
            readingInterimHead = head.status.code < 200
            if readingInterimHead { return }
            keepAlive = keepAlive && head.isKeepAlive
            reader?.begin(head)
        case .body(let buffer):
            if !readingInterimHead, reader?.read(buffer) == false, let sink = reader?.sink {
                ReadPause.pause(context.channel, until: sink)
            }
        case .end:
            finish(context: context)
        }
    }

    private static func failure(for error: HTTP1ParseError) -> Failure {
        error.isEndOfInput
            ? Failure(.transport, "connection lost: the server closed the connection in the middle of its answer")
            : Failure(.transport, "malformed HTTP answer: \(error)")
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let cancel = event as? CancelExchange else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if let answer, answer.futureResult === cancel.answer {
            fail(Failure(.timeout, "cancelled"), context: context)
        }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        // A body that runs until the connection closes ends here; any other answer cut short fails.
        do {
            if let part = try parser.endOfInput() { handle(part, context: context) }
        } catch {
            fail(Self.failure(for: error), context: context)
        }
        let failure =
            requestWritten
            ? Failure(.transport, "connection lost: the server closed the connection")
            : Failure(.notSent, "the connection closed before the request was written")
        fail(failure, context: context)
        context.fireChannelInactive()
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure =
            if case .handshakeFailed? = error as? NIOSSLError {
                // Nothing reached the server's application: the request was never sent.
                Failure(.notSent, "TLS handshake failed: \(error)")
            } else if requestWritten {
                // A reset or read error once the request was out: it was sent, and lost.
                Failure(.transport, "connection lost: \(error)")
            } else {
                Failure(.notSent, "the connection failed before the request was written: \(error)")
            }
        fail(failure, context: context)
        context.close(promise: nil)
    }

    private func finish(context: ChannelHandlerContext) {
        guard let answer, var reader else { return }
        clear()
        if let result = reader.end() {
            answer.succeed(result)
        } else {
            answer.fail(Failure(.protocol, "the answer ended without a status line"))
        }
        // The server said it closes, or asked us to: a connection that cannot carry another request.
        if !keepAlive { context.close(promise: nil) }
    }

    private func fail(_ failure: Failure, context: ChannelHandlerContext) {
        guard let answer else {
            // Nothing was asked: nothing of a request went out, whatever the cause.
            let reason = Failure(.notSent, failure.message)
            endedBetweenRequests = endedBetweenRequests ?? reason
            context.close(promise: nil)
            return
        }
        clear()
        answer.fail(failure)
        // Whatever the server still sends for this request would be read as the next one's answer.
        context.close(promise: nil)
    }

    private func clear() {
        answer = nil
        reader = nil
        silenceCheck?.cancel()
        silenceCheck = nil
    }

    private func scheduleSilenceCheck(context: ChannelHandlerContext, after delay: TimeAmount) {
        silenceCheck = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.checkSilence(context: context)
        }
    }

    private func checkSilence(context: ChannelHandlerContext) {
        guard answer != nil, let idleTimeout else { return }
        let silent = NIODeadline.now() - lastRead
        if silent >= idleTimeout {
            fail(Failure(.timeout, "the response was silent longer than the stream idle timeout"), context: context)
        } else {
            scheduleSilenceCheck(context: context, after: idleTimeout - silent)
        }
    }
}
