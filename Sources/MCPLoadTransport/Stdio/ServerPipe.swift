import MCPLoadCore
import MCPLoadJSONRPC
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
    /// The channel reading it, and why reading was stopped from outside, if it was.
    private let reader = Locked<Reader>(Reader())
    /// Completed once reading has ended, for whoever waits for the last bytes.
    let finished = Completion()

    private struct Reader: Sendable {
        var channel: (any Channel)?
        var stopReason: String?
    }

    /// How reading ended.
    enum End: Sendable, Equatable {
        /// Every process holding the write end closed it.
        case endOfFile
        case failed(String)
        /// ``stopReading(because:)`` ended it.
        case stopped(String)
    }

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

    /// Stops reading: a process the server started may hold the write end open for ever after
    /// the server itself has gone. Idempotent; takes effect at once or as soon as reading starts.
    func stopReading(because reason: String) {
        let channel = reader.withLock { reader -> (any Channel)? in
            if reader.stopReason == nil { reader.stopReason = reason }
            return reader.channel
        }
        channel?.close(promise: nil)
    }

    /// Frames everything the server writes into lines, on the event loop that reads the pipe,
    /// until the server closes its end (or exits), or reading is stopped; says how it ended.
    /// When `emit` returns false, reading pauses until `queue` has room again. The read end is
    /// NIO's from here on, and closed with the channel.
    func readLines(
        maxLineBytes: Int, pausingFor queue: InboundQueue? = nil,
        emit: @escaping @Sendable (LineFramer.Frame) -> Bool
    ) async -> End {
        defer { finished.complete() }
        guard
            let descriptor = readEnd.withLock({ end in
                defer { end = nil }
                return end
            })
        else { return .failed("the pipe was already read") }
        let failure = Locked<String?>(nil)
        let channel: any Channel
        do {
            channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptor(input: descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture { () -> any Channel in
                        try channel.pipeline.syncOperations.addHandler(
                            LineFramingHandler(maxLineBytes: maxLineBytes, queue: queue, emit: emit, failure: failure))
                        return channel
                    }
                }
        } catch {
            // Not taken over: the descriptor is still ours to close.
            close(descriptor)
            return .failed("\(error)")
        }
        let stoppedAlready = reader.withLock { reader -> Bool in
            reader.channel = channel
            return reader.stopReason != nil
        }
        if stoppedAlready { channel.close(promise: nil) }
        // Closes when the server's end does (EOF), after a read error, or when stopped; never fails.
        try? await channel.closeFuture.get()
        reader.withLock { $0.channel = nil }
        if let stopped = reader.withLock({ $0.stopReason }) { return .stopped(stopped) }
        return failure.withLock { $0 }.map(End.failed) ?? .endOfFile
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
    private let queue: InboundQueue?
    private let emit: @Sendable (LineFramer.Frame) -> Bool
    private let failure: Locked<String?>

    init(
        maxLineBytes: Int, queue: InboundQueue?, emit: @escaping @Sendable (LineFramer.Frame) -> Bool,
        failure: Locked<String?>
    ) {
        framer = LineFramer(maxMessageBytes: maxLineBytes)
        self.queue = queue
        self.emit = emit
        self.failure = failure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var full = false
        buffer.withUnsafeReadableBytes { bytes in
            framer.append(bytes) { frame in if !emit(frame) { full = true } }
        }
        if full, let queue { ReadPause.pause(context.channel, until: queue) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let last = framer.finish() { _ = emit(last) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure.withLock { $0 = $0 ?? "\(error)" }
        context.close(promise: nil)
    }
}
