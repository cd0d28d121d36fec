import MCPLoadCore
import MCPLoadJSONRPC

/// A transport backed by memory: what the client sends is handed to a test's closure, and the
/// test plays the server by feeding inbound events. No process, no socket, no timing.
public final class InMemoryTransport: MessageTransport {
    public let inbound = InboundQueue()
    private let onSend: @Sendable ([UInt8]) async throws(Failure) -> Void
    private let onAbort: @Sendable () async -> Void

    public init(
        onSend: @escaping @Sendable ([UInt8]) async throws(Failure) -> Void,
        onAbort: @escaping @Sendable () async -> Void = {}
    ) {
        self.onSend = onSend
        self.onAbort = onAbort
    }

    public func abort() async {
        await onAbort()
        close("aborted")
    }

    public func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        try await onSend(message)
    }

    /// Delivers a server line (as written, without newline).
    public func deliver(_ line: String) {
        inbound.yield(.frame(.line(Array(line.utf8))))
    }

    public func deliver(_ event: InboundEvent) {
        inbound.yield(event)
    }

    /// Ends the server's side.
    public func close(_ reason: String = "closed by test") {
        inbound.yield(.closed(reason))
        inbound.finish()
    }
}
