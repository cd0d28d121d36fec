import MCPLoadCore
import MCPLoadTransport
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Whatever bytes a server answers a POST with, through mcpload's HTTP/1.1 parser and
/// answer reader, as on a real connection: the request's answer is settled, a
/// success or a failure, by the time the connection is gone; nothing traps.
enum HTTPAnswerFuzzing {
    static func run(_ bytes: [UInt8]) {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        do {
            try channel.pipeline.syncOperations.addHandler(
                HTTP1ExchangeHandler(idleTimeout: nil))
        } catch {
            preconditionFailure("the pipeline could not be built: \(error)")
        }
        let queue = InboundQueue()
        let answer = channel.eventLoop.makePromise(of: PostAnswer.self)
        let settled = Locked(false)
        answer.futureResult.whenComplete { _ in settled.withLock { $0 = true } }
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/mcp", headers: ["Host": "fuzz", "Content-Length": "2"])
        let reader = PostAnswerReader(sink: queue, maxMessageBytes: 1024, answering: .number(1))
        channel.writeAndFlush(
            HTTP1Exchange(head: head, body: ByteBuffer(string: "{}"), reader: reader, answer: answer), promise: nil)
        while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
        for chunk in Chunks(bytes) where channel.isActive {
            // Errors close the channel, as they would a connection; the answer must say so.
            _ = try? channel.writeInbound(ByteBuffer(bytes: chunk))
            while (try? channel.readInbound(as: ByteBuffer.self)) != nil {}
        }
        channel.pipeline.fireChannelInactive()
        _ = try? channel.close().wait()
        precondition(settled.withLock { $0 }, "the request's answer was never settled")
    }
}
