import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole lines to a file descriptor, one writer at a time so lines never interleave.
final class LineWriter: Sendable {
    private let descriptor: Int32
    private let lock = Mutex<Void>(())

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes `line` and a newline. Returns false when the reader is gone.
    @discardableResult
    func write(_ line: [UInt8]) -> Bool {
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        return lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
        }
    }

    func write(_ text: String) {
        write(Array(text.utf8))
    }
}

/// The C library's write(2), named apart from ``LineWriter/write(_:)-(Array<UInt8>)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
