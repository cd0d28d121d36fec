import MCPLoadCore
import MCPLoadJSONRPC

/// A transport backed by memory: what the client sends is handed to a test's closure, and the
/// test plays the server by feeding inbound events. No process, no socket, no timing.
package final class InMemoryTransport: MessageTransport {
    package let inbound = InboundQueue()
    private let onSend: @Sendable ([UInt8]) async throws(Failure) -> Void
    private let onAbort: @Sendable () async -> Void

    package init(
        onSend: @escaping @Sendable ([UInt8]) async throws(Failure) -> Void,
        onAbort: @escaping @Sendable () async -> Void = {}
    ) {
        self.onSend = onSend
        self.onAbort = onAbort
    }

    package func abort() async {
        await onAbort()
        close("aborted")
    }

    package func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        try await onSend(message)
    }

    /// Delivers a server line (as written, without newline).
    package func deliver(_ line: String) {
        inbound.yield(.frame(.line(Array(line.utf8))))
    }

    package func deliver(_ event: InboundEvent) {
        inbound.yield(event)
    }

    /// Ends the server's side.
    package func close(_ reason: String = "closed by test") {
        inbound.yield(.closed(reason))
        inbound.finish()
    }
}
