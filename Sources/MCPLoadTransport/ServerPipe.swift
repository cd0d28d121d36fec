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

    /// Frames everything the server writes into lines, on the event loop that reads the pipe,
    /// until the server closes its end (or exits); returns why reading stopped early, if it did.
    /// The read end is NIO's from here on, and closed with the channel.
    func readLines(maxLineBytes: Int, emit: @escaping @Sendable (LineFramer.Frame) -> Void) async -> String? {
        guard
            let descriptor = readEnd.withLock({ end in
                defer { end = nil }
                return end
            })
        else { return "the pipe was already read" }
        let failure = Locked<String?>(nil)
        let channel: any Channel
        do {
            channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptor(input: descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture { () -> any Channel in
                        try channel.pipeline.syncOperations.addHandler(
                            LineFramingHandler(maxLineBytes: maxLineBytes, emit: emit, failure: failure))
                        return channel
                    }
                }
        } catch {
            // Not taken over: the descriptor is still ours to close.
            close(descriptor)
            return "\(error)"
        }
        // Closes when the server's end does (EOF) or after a read error; never fails.
        try? await channel.closeFuture.get()
        return failure.withLock { $0 }
    }

    deinit {
        closeChildEnd()
        readEnd.withLock { end in
            if let descriptor = end { close(descriptor) }
        }
    }
}

/// Cuts a pipe's bytes into lines where they are read: one hop fewer between the server's
/// write and the client's parse than reading chunks into a task and framing there.
private final class LineFramingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer: LineFramer
    private let emit: @Sendable (LineFramer.Frame) -> Void
    private let failure: Locked<String?>

    init(maxLineBytes: Int, emit: @escaping @Sendable (LineFramer.Frame) -> Void, failure: Locked<String?>) {
        framer = LineFramer(maxMessageBytes: maxLineBytes)
        self.emit = emit
        self.failure = failure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in framer.append(bytes, emit: emit) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let last = framer.finish() { emit(last) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure.withLock { $0 = $0 ?? "\(error)" }
        context.close(promise: nil)
    }
}
