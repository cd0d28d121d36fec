import AsyncHTTPClient
import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore
import NIOHTTP1

/// One MCP session over Streamable HTTP (spec 2025-03-26 and later) as a ``MessageTransport``.
///
/// Every message is a POST. A request's answer comes back as JSON or as an SSE stream that may
/// carry the server's notifications and requests first; both are fed to ``inbound`` in order,
/// followed by ``InboundEvent/responseStreamEnded(_:)``. The session id from the initialize
/// response and the negotiated protocol version ride on every later request.
package final class StreamableHTTPConnection: MessageTransport {
    package let inbound = InboundQueue()
    /// AsyncHTTPClient carries the long-lived GET streams (listening, resuming).
    private let client: HTTPClient
    /// Our own connections carry the POSTs and the DELETE: the hot path.
    let connections: SessionConnections
    private let options: HTTPSessionOptions
    /// Every POST's headers but the session's own and the length.
    private let postHeaders: HTTPHeaders
    private var endpoint: String { options.endpoint }
    private var maxMessageBytes: Int { options.maxMessageBytes }
    private let state = Locked(SessionState())
    /// Signalled when a handshake agrees a version: the listening stream needs the session.
    private let established = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    /// Signalled once the listening stream's GET was answered (or failed), so that a session
    /// counts as established only with its stream open: short sessions measure the same way.
    private let listenerAnswered = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    private struct SessionState {
        var sessionID: String?
        var protocolVersion: String?
        /// The POST head for this id and version, rendered once (``postTemplate(for:)``).
        var postTemplate: PostHeadTemplate?
    }

    private let replicaCounter: ReplicaCounter
    package var replicas: ReplicaTally? { replicaCounter.replicas }

    package var abortsStalledWrites: Bool { false }

    init(client: HTTPClient, options: HTTPSessionOptions) throws(Failure) {
        let origin = try HTTPOrigin(endpoint: options.endpoint)
        self.client = client
        self.options = options
        replicaCounter = ReplicaCounter(header: options.replicaHeader)
        connections = SessionConnections(
            origin: origin, connectTimeout: options.connectTimeout, idleTimeout: options.streamIdleTimeout)
        postHeaders = options.headers(to: origin, accepting: "application/json, text/event-stream", postingJSON: true)
    }

    /// The session the server assigned, if any.
    package var sessionID: String? { state.withLock { $0.sessionID } }

    package func sessionEstablished(protocolVersion: String?) async {
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
        // Part of the session's setup: bounded by its timeout, as the rest of the setup is.
        let limit = TimeAmount.nanoseconds(options.setupTimeout.nanoseconds)
        guard let response = try? await client.execute(request, timeout: limit) else {
            // Silent, refused or broken: the session goes on without its stream, and says so.
            inbound.yield(.listeningStream(opened: false))
            return
        }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        let opened = response.status.code == 200 && contentType.hasPrefix("text/event-stream")
        inbound.yield(.listeningStream(opened: opened))
        listenerAnswered.continuation.yield()
        guard opened else { return }
        // The stream ending, or the session's end cancelling it, is how a listening stream closes.
        _ = try? await deliverEvents(response.body, continuing: SSEAnswerStream(maxEventBytes: maxMessageBytes))
    }

    package func abort() async {
        inbound.yield(.closed("aborted"))
        inbound.finish()
    }

    package func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        _ = try await post(message, awaiting: id, keepingJSONAnswer: false)
    }

    /// A JSON answer comes back to the session directly; an SSE answer's messages still go
    /// through ``inbound``, in their order.
    package func exchange(_ message: [UInt8], awaiting id: JSONRPCID) async throws(Failure) -> [UInt8]? {
        try await post(message, awaiting: id, keepingJSONAnswer: true)
    }

    private func post(
        _ message: [UInt8], awaiting id: JSONRPCID?, keepingJSONAnswer: Bool
    ) async throws(Failure) -> [UInt8]? {
        let prepared = try preparePost(message, awaiting: id, keepingJSONAnswer: keepingJSONAnswer)
        let answer = try await connections.send(prepared.request, reader: prepared.reader)
        switch try conclude(answer, awaiting: id, presented: prepared.presented) {
        case .answer(let line):
            return line
        case .streamUnfinished(let events):
            if let id {
                if let events { try await resumeIfUnanswered(id, events) }
                inbound.yield(.responseStreamEnded(id))
            }
        case .done:
            break
        }
        return nil
    }

    /// A POST ready to go: its bytes, the reader of its answer, the token generation it shows.
    struct PreparedPost {
        var request: HTTP1Request
        var reader: PostAnswerReader
        var presented: Int?
    }

    func preparePost(
        _ message: [UInt8], awaiting id: JSONRPCID?, keepingJSONAnswer: Bool
    ) throws(Failure) -> PreparedPost {
        let session = state.withLock { $0 }
        let template = try postTemplate(for: session)
        // Room for a token, routing headers and the length beside the message.
        var request = template.start(reserving: message.count + 2048)
        let presentation = options.presentation()
        if let header = presentation?.header {
            try HTTP1RequestWriter.writeHeader("Authorization", header, into: &request)
        }
        if session.protocolVersion == MCPProtocol.statelessVersion {
            // 2026-07-28 routes on headers: the method, and the tool, prompt or resource it names.
            for (name, value) in Self.routingHeaders(for: message) {
                try HTTP1RequestWriter.writeHeader(name, value, into: &request)
            }
        }
        HTTP1RequestWriter.writeLengthAndBody(message, into: &request)
        let state = state
        var reader = PostAnswerReader(sink: inbound, maxMessageBytes: maxMessageBytes, answering: id) { head in
            if let session = head.headers.first(name: "Mcp-Session-Id") { state.withLock { $0.sessionID = session } }
        }
        reader.keepsJSONAnswer = keepingJSONAnswer
        return PreparedPost(
            request: .encoded(request, keepAlive: template.keepAlive), reader: reader,
            presented: presentation?.generation)
    }

    /// What a POST's answer came to once it was read.
    enum PostOutcome {
        /// A JSON answer, kept for the sender.
        case answer([UInt8])
        /// An answer stream (SSE) that ended without reporting its end: it may still be
        /// resumed, then its end is reported.
        case streamUnfinished(SSEAnswerStream?)
        case done
    }

    func conclude(_ answer: PostAnswer, awaiting id: JSONRPCID?, presented: Int?) throws(Failure) -> PostOutcome {
        replicaCounter.record(answer.head)
        switch answer.head.status.code {
        case 200:
            if let failure = answer.failure { throw failure }
            if let jsonAnswer = answer.jsonAnswer { return .answer(jsonAnswer) }
            if id != nil, !answer.streamEndDelivered { return .streamUnfinished(answer.events) }
        case 202:
            // Accepted: right for notifications and responses; a request that gets it has no answer.
            if let id, !answer.streamEndDelivered { inbound.yield(.responseStreamEnded(id)) }
        default:
            throw HTTPFailure.status(
                answer.head, body: answer.errorBody, redactor: options.redactor, presented: presented)
        }
        return .done
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

    /// Ends the session with DELETE, as the spec asks of a client that is done with it (unless
    /// the scenario says not to), and closes the session's connections.
    func close() async {
        defer {
            connections.closeAll()
            inbound.finish()
        }
        guard sessionID != nil, options.endWithDelete else { return }
        var deletion = requestHead(
            .DELETE, headers: options.headers(to: connections.origin, postingJSON: false),
            session: state.withLock { $0 })
        _ = options.authorize(&deletion.headers)
        let head = deletion
        // A server that never answers must not hold the session's end for long.
        _ = await withTimeout(.seconds(5)) {
            _ = try? await self.connections.send(
                head, body: nil, reader: PostAnswerReader(sink: nil, maxMessageBytes: 0))
        }
    }

    /// The session's POST head as bytes, rendered again only when its id or version changed.
    /// A session's token changes while it lives (refreshes): it is added per request instead.
    private func postTemplate(for session: SessionState) throws(Failure) -> PostHeadTemplate {
        if let template = session.postTemplate,
            template.renders(sessionID: session.sessionID, protocolVersion: session.protocolVersion)
        {
            return template
        }
        var headers = postHeaders
        if options.credential != nil { headers.remove(name: "Authorization") }
        let template = try PostHeadTemplate(
            requestHead(.POST, headers: headers, session: session), sessionID: session.sessionID,
            protocolVersion: session.protocolVersion)
        state.withLock { $0.postTemplate = template }
        return template
    }

    /// A request for the endpoint with the session's id and protocol version added.
    private func requestHead(_ method: HTTPMethod, headers: HTTPHeaders, session: SessionState) -> HTTPRequestHead {
        var head = HTTPRequestHead(
            version: .http1_1, method: method, uri: connections.origin.target, headers: headers)
        Self.addSessionHeaders(session, to: &head.headers)
        return head
    }

    /// Headers for a GET through AsyncHTTPClient, with the session's id and protocol version.
    private func headers(accepting accept: String?) -> HTTPHeaders {
        var headers = options.baseHeaders(accepting: accept)
        Self.addSessionHeaders(state.withLock { $0 }, to: &headers)
        return headers
    }

    private static func addSessionHeaders(_ session: SessionState, to headers: inout HTTPHeaders) {
        if let id = session.sessionID { headers.add(name: "Mcp-Session-Id", value: id) }
        if let version = session.protocolVersion { headers.add(name: "MCP-Protocol-Version", value: version) }
    }

    /// 2025-11-25: a server may close an answer's stream before the answer; the client resumes
    /// it with GET and the last event id it saw, a bounded number of times.
    func resumeIfUnanswered(_ id: JSONRPCID, _ first: SSEAnswerStream) async throws(Failure) {
        var stream = first
        var resumptions = 0
        do {
            // Cheapest first: without an event id there is nothing to resume, and the answer
            // check parses the last message again.
            while let lastEventID = stream.parser.lastEventID, resumptions < Self.maximumResumptions,
                !stream.answered(id)
            {
                resumptions += 1
                if let delay = stream.parser.retry { try await Task.sleep(for: min(delay, .seconds(5))) }
                guard let resumed = try await resume(from: lastEventID) else { break }
                inbound.yield(.streamResumed)
                stream = try await deliverEvents(resumed.body, continuing: stream)
            }
        } catch {
            throw HTTPFailure.classify(error)
        }
    }

    static let maximumResumptions = 3

    private func deliverEvents(
        _ body: HTTPClientResponse.Body, continuing stream: SSEAnswerStream
    ) async throws -> SSEAnswerStream {
        var stream = stream
        for try await buffer in body {
            // Not reading the next chunk until the session caught up is what holds the server back.
            if !stream.feed(buffer.readableBytesView, to: inbound) { await inbound.waitForRoom() }
        }
        stream.bodyEnded()
        return stream
    }

    /// GET with `Last-Event-ID`; nil when the server cannot resume (anything but a 200 SSE answer).
    private func resume(from lastEventID: String) async throws -> HTTPClientResponse? {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .GET
        request.headers = headers(accepting: "text/event-stream")
        request.headers.add(name: "Last-Event-ID", value: lastEventID)
        let response = try await client.execute(request, timeout: .nanoseconds(options.setupTimeout.nanoseconds))
        guard response.status.code == 200 else { return nil }
        return response
    }
}
