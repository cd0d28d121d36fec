import MCPLoadCore
import MCPLoadJSONRPC

/// The seam between a session and the wire: send one message, receive the server's messages.
///
/// stdio and Streamable HTTP implement it; ``InMemoryTransport`` is the test double that lets
/// the JSON-RPC core be tested without processes or sockets.
package protocol MessageTransport: Sendable {
    /// Writes one message (without its newline). `awaiting` is the id of the request it carries,
    /// when it is one: a transport that answers per request (HTTP) reports with
    /// ``InboundEvent/responseStreamEnded(_:)`` when that request's answer stream is over.
    /// Throws a `not_sent`, `transport` or `http_status` ``Failure``.
    func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure)

    /// Sends request `id` and, where the transport has its answer in hand when the send is
    /// over (a Streamable HTTP POST answered with JSON), returns that answer's line instead of
    /// queueing it on ``inbound``: the session settles the request without waking its reader,
    /// one task hop fewer per request. Nil: the answer comes on ``inbound`` as usual, followed
    /// by ``InboundEvent/responseStreamEnded(_:)`` where the transport reports one.
    func exchange(_ message: [UInt8], awaiting id: JSONRPCID) async throws(Failure) -> [UInt8]?

    /// The server's messages in arrival order, bounded; finishes after ``InboundEvent/closed(_:)``.
    var inbound: InboundQueue { get }

    /// Ends the connection at once, without grace. Called when a write cannot finish within its
    /// request's timeout on a transport whose writes block on a stalled reader (a pipe).
    func abort() async

    /// Whether a write can stall because the server stopped reading, so that a timeout must
    /// abort the connection to free it. HTTP requests are cancelled instead.
    var abortsStalledWrites: Bool { get }

    /// The handshake agreed on a protocol version (HTTP sends it as a header from then on);
    /// nil withdraws it (a probe that failed before falling back).
    func sessionEstablished(protocolVersion: String?) async

    /// Whether request `id`'s message is still waiting its turn to be written, so that giving
    /// up on it now means it never left mcpload (the fan-in proxy's queue). Pipes and sockets
    /// have no such queue: a write under way may have reached the server in part.
    func isQueued(_ id: JSONRPCID) async -> Bool

    /// Which replicas answered, when the session counts them (HTTP with a replica header).
    var replicas: ReplicaTally? { get }
}

extension MessageTransport {
    package var abortsStalledWrites: Bool { true }

    package func exchange(_ message: [UInt8], awaiting id: JSONRPCID) async throws(Failure) -> [UInt8]? {
        try await send(message, awaiting: id)
        return nil
    }

    package func sessionEstablished(protocolVersion: String?) async {}

    package func isQueued(_ id: JSONRPCID) async -> Bool { false }

    package var replicas: ReplicaTally? { nil }
}

/// What arrives from a server.
package enum InboundEvent: Sendable, Equatable {
    case frame(LineFramer.Frame)
    /// The answer stream of request `id` ended (an HTTP response body). If its answer has not
    /// arrived by now, it never will.
    case responseStreamEnded(JSONRPCID)
    /// An answer stream that ended early was resumed (HTTP `GET` with `Last-Event-ID`).
    case streamResumed
    /// The session's listening stream (HTTP `GET`) opened, or the server refused it (405).
    case listeningStream(opened: Bool)
    /// The server's side ended (EOF, process exit); the reason says what is known.
    case closed(String)
}
