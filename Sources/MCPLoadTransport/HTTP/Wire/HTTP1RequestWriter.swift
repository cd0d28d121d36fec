import MCPLoadCore
import NIOCore
import NIOHTTP1

/// A request's head and body as the bytes that go on the wire, in one buffer: one write per
/// request, and none of the per-part pipeline work of a general encoder.
///
/// A header whose name or value would break the request's framing (CR, LF, NUL, a name that
/// is not a token) is refused as `not_sent`: values come from scenarios and from servers (a
/// session id, a token), and neither may add headers of its own.
enum HTTP1RequestWriter {
    /// `head` and `body` in one buffer; the caller's headers carry the framing
    /// (`Content-Length`) already.
    static func bytes(
        of head: HTTPRequestHead, body: ByteBuffer?, allocator: ByteBufferAllocator
    ) throws(Failure) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256 + (body?.readableBytes ?? 0))
        try writeRequestLine(head, into: &buffer)
        for (name, value) in head.headers { try writeHeader(name, value, into: &buffer) }
        buffer.writeStaticString("\r\n")
        if var body { buffer.writeBuffer(&body) }
        return buffer
    }

    /// `METHOD target HTTP/1.x` and its CRLF.
    static func writeRequestLine(_ head: HTTPRequestHead, into buffer: inout ByteBuffer) throws(Failure) {
        guard head.uri.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw Failure(.notSent, "the request target holds characters a request line cannot carry")
        }
        buffer.writeString(head.method.rawValue)
        buffer.writeStaticString(" ")
        buffer.writeString(head.uri)
        buffer.writeStaticString(head.version.minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
    }

    static func writeHeader(_ name: String, _ value: String, into buffer: inout ByteBuffer) throws(Failure) {
        guard isToken(name), isFieldValue(value) else {
            throw Failure(.notSent, "header '\(name)' holds characters a header cannot carry")
        }
        buffer.writeString(name)
        buffer.writeStaticString(": ")
        buffer.writeString(value)
        buffer.writeStaticString("\r\n")
    }

    /// `Content-Length`, the blank line and the body: the end of every POST.
    static func writeLengthAndBody(_ body: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeStaticString("Content-Length: ")
        buffer.writeString(String(body.count))
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(body)
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
    }

    private static func isFieldValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }
}
