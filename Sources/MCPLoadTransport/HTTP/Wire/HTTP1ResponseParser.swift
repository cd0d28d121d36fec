import NIOCore
import NIOHTTP1

/// HTTP/1.1 answers, parsed from the bytes as they arrive: a value-type state machine that
/// takes bytes and hands out heads, body parts and ends, tested without a socket.
///
/// The hot path of an HTTP run reads one small answer per request; SwiftNIO's general decoder
/// (llhttp behind a byte-to-message handler, a pipeline hop per part) cost more per answer
/// than the rest of the read (`scripts/bench-http`). This parser reads only what a client of
/// MCP servers needs: status line, headers, bodies framed by `Content-Length`, chunked, or
/// the connection's end; interim (1xx) answers before the final one. Anything else is a
/// ``HTTP1ParseError``, which fails the request in flight and closes the connection.
package struct HTTP1ResponseParser {
    package enum Part: Equatable {
        case head(HTTPResponseHead)
        case body(ByteBuffer)
        case end
    }

    private enum State: Equatable {
        /// Waiting for a status line (between answers, or after an interim one).
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkDataEnd
        case trailers
        /// The body runs until the connection closes.
        case untilClose
        /// The answer's body is over (or it has none): its end comes next.
        case ending
    }

    /// How a final answer's body ends, as its headers say.
    enum BodyState {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    private var state = State.head
    /// Whether any byte of the current answer has been read: the connection's end in the
    /// middle of an answer is a failure, between answers it is not.
    private var inAnswer = false

    /// A head (status line and headers) longer than this is refused, as llhttp's default does.
    package static let maximumHeadBytes = 80 * 1024
    /// Chunk size lines longer than this are refused (hex digits and extensions).
    static let maximumChunkLineBytes = 4096

    package init() {}

    /// The next part that `buffer` holds whole, consuming its bytes; nil when more bytes are
    /// needed. Call until nil after every read.
    package mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Part? {
        switch state {
        case .head:
            return try parseHead(&buffer)
        case .fixedBody(let remaining):
            guard let (part, left) = Self.take(upTo: remaining, from: &buffer) else { return nil }
            state = left == 0 ? .ending : .fixedBody(remaining: left)
            return .body(part)
        case .chunkSize:
            guard let line = try readLine(&buffer, limit: Self.maximumChunkLineBytes) else { return nil }
            let size = try Self.chunkSize(line)
            state = size == 0 ? .trailers : .chunkData(remaining: size)
            return try next(&buffer)
        case .chunkData(let remaining):
            guard let (part, left) = Self.take(upTo: remaining, from: &buffer) else { return nil }
            state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
            return .body(part)
        case .chunkDataEnd:
            guard let line = try readLine(&buffer, limit: 2) else { return nil }
            guard line.isEmpty else { throw HTTP1ParseError("chunk data longer than its size") }
            state = .chunkSize
            return try next(&buffer)
        case .trailers:
            // Trailers are read and dropped: nothing mcpload measures lives there.
            while let line = try readLine(&buffer, limit: Self.maximumHeadBytes) {
                if line.isEmpty { return finishAnswer() }
            }
            return nil
        case .untilClose:
            guard buffer.readableBytes > 0 else { return nil }
            return .body(buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer())
        case .ending:
            return finishAnswer()
        }
    }

    /// Up to `remaining` bytes of a body that are in `buffer`, and how many are still to come;
    /// nil when the buffer is empty.
    private static func take(upTo remaining: Int, from buffer: inout ByteBuffer) -> (ByteBuffer, left: Int)? {
        let count = min(remaining, buffer.readableBytes)
        guard count > 0, let part = buffer.readSlice(length: count) else { return nil }
        return (part, remaining - count)
    }

    /// The connection ended: the end of a body that runs until then, nil between answers,
    /// a ``HTTP1ParseError`` in the middle of one.
    package mutating func endOfInput() throws(HTTP1ParseError) -> Part? {
        switch state {
        case .untilClose:
            return finishAnswer()
        case .head where !inAnswer:
            return nil
        default:
            throw HTTP1ParseError("the connection closed in the middle of the answer", isEndOfInput: true)
        }
    }

    private mutating func finishAnswer() -> Part {
        state = .head
        inAnswer = false
        return .end
    }

    // MARK: Head

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Part? {
        guard buffer.readableBytes > 0 else { return nil }
        inAnswer = true
        // The whole head must be in the buffer: find its blank line before reading any of it.
        guard let headLength = try Self.headLength(in: buffer),
            let bytes = buffer.readSlice(length: headLength)
        else { return nil }
        let (head, framing) = try bytes.withUnsafeReadableBytes { Self.head(from: $0) }.get()
        let status = head.status.code
        if status == 101 { throw HTTP1ParseError("unexpected protocol switch (101)") }
        // Interim (1xx): the final answer follows on the same connection.
        if status >= 200 {
            state =
                switch try framing.bodyState(status: Int(status)) {
                case .none, .length(0): .ending
                case .length(let length): .fixedBody(remaining: length)
                case .chunked: .chunkSize
                case .untilClose: .untilClose
                }
        }
        return .head(head)
    }

    /// The length of the head including its blank line, once it is all in `buffer`. Every LF
    /// must end a CRLF: a head with bare line feeds is refused at once rather than waited on.
    private static func headLength(in buffer: ByteBuffer) throws(HTTP1ParseError) -> Int? {
        let found = buffer.withUnsafeReadableBytes { bytes -> Result<Int?, HTTP1ParseError> in
            let limit = min(bytes.count, maximumHeadBytes)
            var index = 0
            while index < limit {
                if bytes[index] == lf {
                    guard index > 0, bytes[index - 1] == cr else {
                        return .failure(HTTP1ParseError("bare LF in the answer's head"))
                    }
                    if index >= 3, bytes[index - 2] == lf { return .success(index + 1) }
                }
                index += 1
            }
            return .success(nil)
        }
        guard let length = try found.get() else {
            if buffer.readableBytes >= maximumHeadBytes {
                throw HTTP1ParseError("answer head longer than \(maximumHeadBytes) bytes")
            }
            return nil
        }
        return length
    }

    private static func head(
        from raw: UnsafeRawBufferPointer
    ) -> Result<(HTTPResponseHead, Framing), HTTP1ParseError> {
        // Without the blank line's CRLF; lines are split at CRLF.
        var lines = LineSplitter(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 2)]))
        guard let statusLine = lines.next() else { return .failure(HTTP1ParseError("empty status line")) }
        let version: HTTPVersion
        let status: HTTPResponseStatus
        switch Self.statusLine(statusLine) {
        case .success(let parsed): (version, status) = parsed
        case .failure(let error): return .failure(error)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        var framing = Framing()
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                return .failure(HTTP1ParseError("malformed header line"))
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { return .failure(HTTP1ParseError("malformed header name")) }
            var value = line[(colon + 1)...]
            while let byte = value.first, byte == space || byte == tab { value = value.dropFirst() }
            while let byte = value.last, byte == space || byte == tab { value = value.dropLast() }
            guard value.allSatisfy(isFieldValueByte) else {
                return .failure(HTTP1ParseError("control character in a header value"))
            }
            let valueText = String(decoding: UnsafeRawBufferPointer(rebasing: value), as: UTF8.self)
            framing.observe(name: UnsafeRawBufferPointer(rebasing: name), value: valueText)
            headers.add(name: String(decoding: UnsafeRawBufferPointer(rebasing: name), as: UTF8.self), value: valueText)
        }
        return .success((HTTPResponseHead(version: version, status: status, headers: headers), framing))
    }

    private static func statusLine(
        _ line: Slice<UnsafeRawBufferPointer>
    ) -> Result<(HTTPVersion, HTTPResponseStatus), HTTP1ParseError> {
        // "HTTP/1.x NNN reason": the reason may be empty or missing.
        let bytes = UnsafeRawBufferPointer(rebasing: line)
        guard bytes.count >= 12, bytes.starts(with: "HTTP/1.".utf8), bytes[8] == space,
            bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1"),
            bytes.count == 12 || bytes[12] == space
        else {
            return .failure(HTTP1ParseError("malformed status line"))
        }
        var code = 0
        for byte in bytes[9..<12] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                return .failure(HTTP1ParseError("malformed status code"))
            }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        let reason = bytes.count > 13 ? bytes[13...] : bytes[0..<0]
        guard code >= 100, reason.allSatisfy(isFieldValueByte) else {
            return .failure(HTTP1ParseError("malformed status line"))
        }
        let version = HTTPVersion(major: 1, minor: bytes[7] == UInt8(ascii: "1") ? 1 : 0)
        let phrase = String(decoding: UnsafeRawBufferPointer(rebasing: reason), as: UTF8.self)
        return .success((version, HTTPResponseStatus(statusCode: code, reasonPhrase: phrase)))
    }

    private static func chunkSize(_ line: [UInt8]) throws(HTTP1ParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), space, tab:
                // Extensions (and the spaces before them) are allowed and ignored.
                guard digits > 0 else { throw HTTP1ParseError("malformed chunk size") }
                return size
            default:
                throw HTTP1ParseError("malformed chunk size")
            }
            digits += 1
            guard digits <= 15 else { throw HTTP1ParseError("chunk size too large") }
            size = size * 16 + digit
        }
        guard digits > 0 else { throw HTTP1ParseError("malformed chunk size") }
        return size
    }

    /// A line without its CRLF, once it is all in `buffer`.
    private func readLine(_ buffer: inout ByteBuffer, limit: Int) throws(HTTP1ParseError) -> [UInt8]? {
        let view = buffer.readableBytesView
        guard let lf = view.firstIndex(of: Self.lf) else {
            if view.count > limit + 2 { throw HTTP1ParseError("line longer than \(limit) bytes") }
            return nil
        }
        let length = lf - view.startIndex
        guard length >= 1, view[lf - 1] == Self.cr, length - 1 <= limit else {
            throw HTTP1ParseError(length - 1 > limit ? "line longer than \(limit) bytes" : "bare LF in chunked body")
        }
        let line = buffer.readBytes(length: length - 1) ?? []
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// RFC 9110 token characters, which header names are made of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "^"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Visible characters, spaces, tabs and obs-text: no control character, no DEL.
    private static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= space && byte != 0x7F) || byte == tab
    }
}

/// The headers that say how an answer's body ends, noted as the head is read (RFC 9112 §6.3,
/// for answers to POST and DELETE).
private struct Framing {
    private var contentLength: String?
    private var conflictingLengths = false
    private var transferEncoding: String?

    mutating func observe(name: UnsafeRawBufferPointer, value: String) {
        if Self.equalsIgnoringCase(name, "content-length") {
            if let contentLength, contentLength != value { conflictingLengths = true }
            contentLength = value
        } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
            // Several fields form one list: the last coding is the one that frames the body.
            transferEncoding = value
        }
    }

    func bodyState(status: Int) throws(HTTP1ParseError) -> HTTP1ResponseParser.BodyState {
        if status == 204 || status == 304 { return .none }
        if let transferEncoding {
            // Chunked must come last; any other coding is read until the connection closes.
            // The field's own ends are trimmed already; a list element's start may have spaces.
            let last = transferEncoding.split(separator: ",").last?.drop { $0 == " " || $0 == "\t" }
            return last?.lowercased() == "chunked" ? .chunked : .untilClose
        }
        guard let contentLength else { return .untilClose }
        guard !conflictingLengths, let length = Self.decimal(contentLength) else {
            throw HTTP1ParseError("malformed or conflicting Content-Length")
        }
        return .length(length)
    }

    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
        return true
    }
}

/// Lines of a head split at CRLF; a bare CR or LF inside a line is left in it (and refused by
/// the checks on names and values).
private struct LineSplitter {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        position = 0
    }

    mutating func next() -> Slice<UnsafeRawBufferPointer>? {
        guard position < bytes.count else { return nil }
        var end = position
        while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "\r") && bytes[end + 1] == UInt8(ascii: "\n")) {
            end += 1
        }
        if end + 1 >= bytes.count { end = bytes.count }
        let line = bytes[position..<end]
        position = end + 2
        return line
    }
}

/// Why the bytes of an answer are not HTTP/1.1.
package struct HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    package let description: String
    /// The connection ended in the middle of an answer (rather than sending something wrong).
    package let isEndOfInput: Bool

    init(_ description: String, isEndOfInput: Bool = false) {
        self.description = description
        self.isEndOfInput = isEndOfInput
    }
}
