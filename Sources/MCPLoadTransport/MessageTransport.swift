import MCPLoadCore

/// The seam between a session and the wire: send one message, receive the server's messages.
///
/// stdio is the first implementation; Streamable HTTP and SSE come next. ``InMemoryTransport``
/// is the test double that lets the JSON-RPC core be tested without processes or sockets.
public protocol MessageTransport: Sendable {
    /// Writes one message (without its newline). Throws a `not_sent` or `transport` ``Failure``.
    func send(_ message: [UInt8]) async throws(Failure)

    /// The server's messages in arrival order; finishes after ``InboundEvent/closed(_:)``.
    var inbound: AsyncStream<InboundEvent> { get }

    /// Ends the connection at once, without grace. Called when a write cannot finish within its
    /// request's timeout: a server that stopped reading is stuck, and a blocked write must not
    /// hold the run hostage.
    func abort() async
}

/// What arrives from a server.
public enum InboundEvent: Sendable, Equatable {
    case frame(LineFramer.Frame)
    /// The server's side ended (EOF, process exit); the reason says what is known.
    case closed(String)
}
