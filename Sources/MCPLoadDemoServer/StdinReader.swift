import Foundation

/// stdin as an async sequence of byte chunks.
///
/// A blocking `read(2)` belongs on its own thread, not on the cooperative pool whose threads the
/// request handlers need.
enum StdinReader {
    static func chunks() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                continuation.yield(Array(buffer[0..<count]))
            }
            continuation.finish()
        }
        thread.name = "stdin-reader"
        thread.start()
        return stream
    }
}
