import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTP/1.1 server that answers each request as a test scripts it, and counts the
/// connections it accepted: what the client's connection handling is judged by.
final class ScriptedHTTPServer: Sendable {
    enum Reply: Sendable {
        /// A complete answer; `close` adds `Connection: close` and closes after it.
        case answer(status: HTTPResponseStatus, contentType: String, body: String, close: Bool = false)
        /// The head and part of the body it announces, then the connection is closed.
        case cut(announced: Int, sent: String)
        /// Never answered.
        case hold
    }

    let port: Int
    private let channel: any Channel
    private let counts: Counts
    /// Every request's target, as it arrives.
    let requests: AsyncStream<String>

    private final class Counts: Sendable {
        let connections = Mutex(0)
    }

    var connectionsAccepted: Int { counts.connections.withLock { $0 } }

    /// With `tls`, the server speaks https.
    init(tls: NIOSSLContext? = nil, script: @escaping @Sendable (_ index: Int) -> Reply) async throws {
        let counts = Counts()
        let requestIndex = Mutex(0)
        let (requests, arrived) = AsyncStream.makeStream(of: String.self)
        let next: @Sendable (String) -> Reply = { target in
            let index = requestIndex.withLock { index in
                defer { index += 1 }
                return index
            }
            arrived.yield(target)
            return script(index)
        }
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.connections.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedResponder(next: next))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.counts = counts
        self.requests = requests
    }

    var endpoint: String { "http://127.0.0.1:\(port)/mcp" }

    func stop() async {
        try? await channel.close()
    }
}

private final class ScriptedResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let next: @Sendable (String) -> ScriptedHTTPServer.Reply
    private var target = ""

    init(next: @escaping @Sendable (String) -> ScriptedHTTPServer.Reply) {
        self.next = next
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): target = head.uri
        case .body: break
        case .end: respond(context: context, with: next(target))
        }
    }

    private func respond(context: ChannelHandlerContext, with reply: ScriptedHTTPServer.Reply) {
        switch reply {
        case .answer(let status, let contentType, let body, let close):
            var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.utf8.count))])
            if close { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if close { context.close(promise: nil) }
        case .cut(let announced, let sent):
            let headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(announced))])
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: sent)))), promise: nil)
            context.close(promise: nil)
        case .hold:
            break
        }
    }
}
