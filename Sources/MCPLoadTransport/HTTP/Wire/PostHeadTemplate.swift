import MCPLoadCore
import NIOCore
import NIOHTTP1

/// A session's POST head rendered once: the request line, the run's headers, `Host`, `Accept`,
/// `Content-Type` and the session's own (its id, the protocol version). Every request copies
/// these bytes and adds only what changes per request (the token, routing headers, the
/// length), instead of building, validating and encoding a header list per request.
struct PostHeadTemplate: Sendable {
    /// What the head was rendered for: a new session id or version needs a new one.
    let sessionID: String?
    let protocolVersion: String?
    let keepAlive: Bool
    private let prefix: ByteBuffer

    init(_ head: HTTPRequestHead, sessionID: String?, protocolVersion: String?) throws(Failure) {
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        try HTTP1RequestWriter.writeRequestLine(head, into: &buffer)
        for (name, value) in head.headers { try HTTP1RequestWriter.writeHeader(name, value, into: &buffer) }
        self.sessionID = sessionID
        self.protocolVersion = protocolVersion
        keepAlive = head.isKeepAlive
        prefix = buffer
    }

    func renders(sessionID: String?, protocolVersion: String?) -> Bool {
        self.sessionID == sessionID && self.protocolVersion == protocolVersion
    }

    /// A buffer holding the head so far, with room for `extra` more bytes.
    func start(reserving extra: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: prefix.readableBytes + extra)
        buffer.writeImmutableBuffer(prefix)
        return buffer
    }
}
