/// Splits a byte stream into newline-delimited messages, bounded in size.
///
/// stdio MCP frames each JSON-RPC message as one line. A server that writes a line longer than
/// `maxMessageBytes` gets an ``Frame/oversize(byteCount:)`` frame for it: the framer drops the
/// bytes as they come instead of buffering them, so a runaway server cannot exhaust our memory.
package struct LineFramer: Sendable {
    package enum Frame: Sendable, Equatable {
        /// One message without its line terminator (`\n` or `\r\n`).
        case line([UInt8])
        /// A line that exceeded the limit; its bytes were discarded.
        case oversize(byteCount: Int)
    }

    package let maxMessageBytes: Int
    private var pending: [UInt8] = []
    /// Bytes dropped so far of a line that is already over the limit; nil while within it.
    private var discarded: Int?

    package init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Feeds `bytes` and calls `emit` for every message they complete, in order.
    package mutating func append(_ bytes: UnsafeRawBufferPointer, emit: (Frame) -> Void) {
        var start = 0
        let count = bytes.count
        while start < count {
            let newline = Self.firstNewline(in: bytes, from: start)
            let end = newline ?? count
            absorb(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard newline != nil else { return }
            if let frame = takeFrame() { emit(frame) }
            start = end + 1
        }
    }

    /// Convenience for tests and small inputs.
    package mutating func append(_ bytes: [UInt8], emit: (Frame) -> Void) {
        bytes.withUnsafeBytes { append($0, emit: emit) }
    }

    /// Ends the stream: a last line without a trailing newline still counts as a message.
    package mutating func finish() -> Frame? {
        guard !pending.isEmpty || discarded != nil else { return nil }
        return takeFrame()
    }

    private mutating func absorb(_ chunk: UnsafeRawBufferPointer) {
        guard !chunk.isEmpty else { return }
        if let alreadyDropped = discarded {
            discarded = alreadyDropped + chunk.count
        } else if pending.count + chunk.count > maxMessageBytes + 1 {
            // One byte of slack for a `\r` before the `\n`, which is not part of the message.
            discarded = pending.count + chunk.count
            pending.removeAll(keepingCapacity: false)
        } else {
            pending.append(contentsOf: chunk)
        }
    }

    private mutating func takeFrame() -> Frame? {
        if let dropped = discarded {
            discarded = nil
            return .oversize(byteCount: dropped)
        }
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        guard !pending.isEmpty else { return nil }
        if pending.count > maxMessageBytes {
            let size = pending.count
            pending.removeAll(keepingCapacity: false)
            return .oversize(byteCount: size)
        }
        defer { pending.removeAll(keepingCapacity: true) }
        return .line(pending)
    }

    private static func firstNewline(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count else { return nil }
        // memchr is vectorised: the scan for `\n` is the framer's whole cost on large messages.
        guard let hit = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
