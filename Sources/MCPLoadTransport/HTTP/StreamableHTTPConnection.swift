import AsyncHTTPClient
import MCPLoadCore
import NIOCore
import NIOHTTP1
import Synchronization

/// One MCP session over Streamable HTTP (spec 2025-03-26 and later) as a ``MessageTransport``.
///
/// Every message is a POST. A request's answer comes back as JSON or as an SSE stream that may
/// carry the server's notifications and requests first; both are fed to ``inbound`` in order,
/// followed by ``InboundEvent/responseStreamEnded(_:)``. The session id from the initialize
/// response and the negotiated protocol version ride on every later request.
public final class StreamableHTTPConnection: MessageTransport {
    public let inbound: AsyncStream<InboundEvent>
    private let continuation: AsyncStream<InboundEvent>.Continuation
    private let client: HTTPClient
    private let options: HTTPSessionOptions
    private var endpoint: String { options.endpoint }
    private var maxMessageBytes: Int { options.maxMessageBytes }
    private let state = Mutex(SessionState())
    /// Signalled when a handshake agrees a version: the listening stream needs the session.
    private let established = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    /// Signalled once the listening stream's GET was answered (or failed), so that a session
    /// counts as established only with its stream open: short sessions measure the same way.
    private let listenerAnswered = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    private struct SessionState {
        var sessionID: String?
        var protocolVersion: String?
    }

    public var abortsStalledWrites: Bool { false }

    init(client: HTTPClient, options: HTTPSessionOptions) {
        (inbound, continuation) = AsyncStream.makeStream(of: InboundEvent.self)
        self.client = client
        self.options = options
    }

    /// The session the server assigned, if any.
    public var sessionID: String? { state.withLock { $0.sessionID } }

    public func sessionEstablished(protocolVersion: String?) async {
        state.withLock { $0.protocolVersion = protocolVersion }
        // 2026-07-28 has no sessions, and so no stream of the session's own.
        guard options.listen, let protocolVersion, protocolVersion != MCPProtocol.statelessVersion else { return }
        established.continuation.yield()
        for await _ in listenerAnswered.stream { break }
    }

    /// The optional listening stream: once the session is established, `GET` the endpoint and
    /// feed the server's messages on it (notifications, requests) into ``inbound`` like any
    /// others, until the server ends the stream or the session ends (cancellation). A server
    /// without one answers 405, which is counted, not a failure.
    func listen() async {
        for await _ in established.stream { break }
        defer { listenerAnswered.continuation.finish() }
        guard !Task.isCancelled else { return }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .GET
        request.headers = headers(accepting: "text/event-stream")
        guard let response = try? await client.execute(request, timeout: .hours(1)) else { return }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        let opened = response.status.code == 200 && contentType.hasPrefix("text/event-stream")
        continuation.yield(.listeningStream(opened: opened))
        listenerAnswered.continuation.yield()
        guard opened else { return }
        // The stream ending, or the session's end cancelling it, is how a listening stream closes.
        _ = try? await deliverEvents(response.body, continuing: SSEParser(maxEventBytes: maxMessageBytes))
    }

    public func abort() async {
        continuation.yield(.closed("aborted"))
        continuation.finish()
    }

    public func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers = headers(accepting: "application/json, text/event-stream")
        request.headers.add(name: "Content-Type", value: "application/json")
        if state.withLock({ $0.protocolVersion }) == MCPProtocol.statelessVersion {
            // 2026-07-28 routes on headers: the method, and the tool, prompt or resource it names.
            for (name, value) in Self.routingHeaders(for: message) { request.headers.add(name: name, value: value) }
        }
        request.body = .bytes(ByteBuffer(bytes: message))
        let response = try await execute(request)
        if let session = response.headers.first(name: "Mcp-Session-Id") {
            state.withLock { $0.sessionID = session }
        }
        switch response.status.code {
        case 200:
            try await deliverBody(of: response, answering: id)
            if let id { continuation.yield(.responseStreamEnded(id)) }
        case 202:
            // Accepted: right for notifications and responses; a request that gets it has no answer.
            if let id { continuation.yield(.responseStreamEnded(id)) }
        default:
            throw await HTTPFailure.status(of: response)
        }
    }

    /// `Mcp-Method` and `Mcp-Name` for a message, read from its JSON.
    static func routingHeaders(for message: [UInt8]) -> [(String, String)] {
        guard let value = try? JSONParser.parse(message), let method = value["method"]?.stringValue else { return [] }
        var headers = [("Mcp-Method", method)]
        let params = value["params"]
        let name =
            switch method {
            case "tools/call", "prompts/get": params?["name"]?.stringValue
            case "resources/read": params?["uri"]?.stringValue
            default: nil as String?
            }
        if let name { headers.append(("Mcp-Name", name)) }
        return headers
    }

    /// Ends the session with DELETE, as the spec asks of a client that is done with it.
    func close() async {
        defer { continuation.finish() }
        guard sessionID != nil else { return }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .DELETE
        request.headers = headers(accepting: nil)
        _ = try? await client.execute(request, timeout: .seconds(5))
    }

    private func headers(accepting accept: String?) -> HTTPHeaders {
        var headers = options.baseHeaders(accepting: accept)
        let session = state.withLock { $0 }
        if let id = session.sessionID { headers.add(name: "Mcp-Session-Id", value: id) }
        if let version = session.protocolVersion { headers.add(name: "MCP-Protocol-Version", value: version) }
        return headers
    }

    private func execute(_ request: HTTPClientRequest) async throws(Failure) -> HTTPClientResponse {
        do {
            // mcpload's own per-request deadline governs; this one only bounds a forgotten request.
            return try await client.execute(request, timeout: .hours(1))
        } catch {
            throw HTTPFailure.classify(error)
        }
    }

    private func deliverBody(of response: HTTPClientResponse, answering id: JSONRPCID?) async throws(Failure) {
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        do {
            if contentType.hasPrefix("text/event-stream") {
                var stream = try await deliverEvents(
                    response.body, continuing: SSEParser(maxEventBytes: maxMessageBytes))
                // 2025-11-25: a server may close an answer's stream early; the client resumes it
                // with GET and the last event id it saw, a bounded number of times.
                var resumptions = 0
                while let id, !stream.answered(id), let lastEventID = stream.parser.lastEventID,
                    resumptions < Self.maximumResumptions
                {
                    resumptions += 1
                    if let delay = stream.parser.retry { try await Task.sleep(for: min(delay, .seconds(5))) }
                    guard let resumed = try await resume(from: lastEventID) else { break }
                    continuation.yield(.streamResumed)
                    stream = try await deliverEvents(resumed.body, continuing: stream.parser)
                }
            } else if contentType.hasPrefix("application/json") {
                let body = try await response.body.collect(upTo: maxMessageBytes)
                continuation.yield(.frame(.line(Array(body.readableBytesView))))
            } else {
                throw Failure(.protocol, "answer with unexpected Content-Type '\(contentType)'")
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as NIOTooManyBytesError {
            throw Failure(.protocol, "JSON answer exceeds the limit of \(maxMessageBytes) bytes (\(error))")
        } catch {
            throw HTTPFailure.classify(error)
        }
    }

    static let maximumResumptions = 3

    /// What one SSE body delivered: the parser's state (last event id, retry) and the last
    /// message, which is where a request's answer comes.
    private struct StreamProgress {
        var parser: SSEParser
        var lastMessage: [UInt8]?

        func answered(_ id: JSONRPCID) -> Bool {
            guard let lastMessage, let value = try? JSONParser.parse(lastMessage) else { return false }
            return value["id"].flatMap(JSONRPCID.init) == id && (value["result"] != nil || value["error"] != nil)
        }
    }

    private func deliverEvents(
        _ body: HTTPClientResponse.Body, continuing parser: SSEParser
    ) async throws
        -> StreamProgress
    {
        var progress = StreamProgress(parser: parser)
        for try await buffer in body {
            progress.parser.append(buffer.readableBytesView) { output in
                switch output {
                case .event(let event) where event.type == "message" && !event.data.isEmpty:
                    let message = Array(event.data.utf8)
                    progress.lastMessage = message
                    continuation.yield(.frame(.line(message)))
                case .event:
                    break  // priming events (no data) and other types carry nothing for an MCP client
                case .oversize(let byteCount):
                    continuation.yield(.frame(.oversize(byteCount: byteCount)))
                }
            }
        }
        progress.parser.finish()
        return progress
    }

    /// GET with `Last-Event-ID`; nil when the server cannot resume (anything but a 200 SSE answer).
    private func resume(from lastEventID: String) async throws -> HTTPClientResponse? {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .GET
        request.headers = headers(accepting: "text/event-stream")
        request.headers.add(name: "Last-Event-ID", value: lastEventID)
        let response = try await client.execute(request, timeout: .hours(1))
        guard response.status.code == 200 else { return nil }
        return response
    }
}
