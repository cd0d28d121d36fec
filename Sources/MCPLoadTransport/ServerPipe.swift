import MCPLoadCore
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pipe from a server process to mcpload, read on SwiftNIO's event loops.
///
/// swift-subprocess's own output sequences keep a zero-filled buffer as large as the pipe
/// (64 KiB on Linux) waiting on every stream: 128 KiB per server for stdout and stderr, and a
/// 64 KiB memset per read. Owning the pipe and reading it through NIO's adaptive allocator
/// costs a few KiB per stream and only the bytes that arrive.
final class ServerPipe: Sendable {
    /// The end the server writes: handed to the child, then closed here.
    private let writeEnd: Mutex<CInt?>
    /// The end mcpload reads, until NIO takes it over.
    private let readEnd: Mutex<CInt?>

    init() throws(Failure) {
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw Failure(.notSent, "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        // A stray copy of the write end in another child would keep the pipe open after this
        // server exits. swift-subprocess closes every other descriptor in its children;
        // close-on-exec covers anything else that spawns.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = Mutex(ends[0])
        writeEnd = Mutex(ends[1])
    }

    /// The descriptor the child's stdout or stderr becomes.
    var childEnd: CInt { writeEnd.withLock { $0 ?? -1 } }

    /// Once the child holds its copy: closing ours is what lets the read side see EOF.
    func closeChildEnd() {
        writeEnd.withLock { end in
            if let descriptor = end { close(descriptor) }
            end = nil
        }
    }

    /// Every chunk the server writes, until it closes its end (or exits). The read end is
    /// NIO's from here on, and closed with the channel.
    func chunks() async throws -> NIOAsyncChannel<ByteBuffer, Never> {
        guard
            let descriptor = readEnd.withLock({ end in
                defer { end = nil }; return end
            })
        else {
            throw Failure(.notSent, "the pipe was already read")
        }
        do {
            return try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptor(input: descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, Never>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        closeChildEnd()
        readEnd.withLock { end in
            if let descriptor = end { close(descriptor) }
        }
    }
}
