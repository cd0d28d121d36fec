import AsyncHTTPClient
import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore
import NIOHTTP1

/// One session over the legacy HTTP+SSE transport (MCP 2024-11-05) as a ``MessageTransport``:
/// messages are POSTed to the endpoint the server named; everything the server says arrives on
/// the session's long-lived GET stream.
package final class LegacySSEConnection: MessageTransport {
    package let inbound: InboundQueue
    private let connections: SessionConnections
    private let maxMessageBytes: Int
    private let redactor: Redactor
    /// Every POST's headers but the length.
    private let postHeaders: HTTPHeaders
    /// Where messages are POSTed, from the stream's `endpoint` event.
    package let messageEndpoint: String
    private let replicaCounter: ReplicaCounter
    package var replicas: ReplicaTally? { replicaCounter.replicas }
    private let options: HTTPSessionOptions

    package var abortsStalledWrites: Bool { false }

    init(options: HTTPSessionOptions, messageEndpoint: String, inbound: InboundQueue) throws(Failure) {
        let origin = try HTTPOrigin(endpoint: messageEndpoint)
        connections = SessionConnections(
            origin: origin, connectTimeout: options.connectTimeout, idleTimeout: options.streamIdleTimeout)
        maxMessageBytes = options.maxMessageBytes
        redactor = options.redactor
        postHeaders = options.headers(to: origin, postingJSON: true)
        replicaCounter = ReplicaCounter(header: options.replicaHeader)
        self.messageEndpoint = messageEndpoint
        self.inbound = inbound
        self.options = options
    }

    package func abort() async {}

    package func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        var head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: connections.origin.target, headers: postHeaders)
        head.headers.add(name: "Content-Length", value: String(message.count))
        let presented = options.authorize(&head.headers)
        // The answer comes on the stream; the POST itself only says whether it was taken.
        let answer = try await connections.send(
            head, body: ByteBuffer(bytes: message),
            reader: PostAnswerReader(sink: nil, maxMessageBytes: maxMessageBytes))
        // Behind a round-robin balancer a POST can land on a replica that does not hold the
        // session's stream: that replica's 404 is a session break.
        replicaCounter.record(answer.head)
        guard (200..<300).contains(answer.head.status.code) else {
            throw HTTPFailure.status(answer.head, body: answer.errorBody, redactor: redactor, presented: presented)
        }
    }

    func close() {
        connections.closeAll()
    }
}

/// Scoped legacy HTTP+SSE sessions: the GET stream is read beside the session and closed with it.
package enum LegacySSETransport {
    package static func withSession<Value: Sendable>(
        client: HTTPClient, options: HTTPSessionOptions,
        _ body: (LegacySSEConnection) async -> Value
    ) async throws(Failure) -> Value {
        let streamURL = options.endpoint
        let maxMessageBytes = options.maxMessageBytes
        let setupTimeout = options.setupTimeout
        var request = HTTPClientRequest(url: streamURL)
        request.method = .GET
        request.headers = options.baseHeaders(accepting: "text/event-stream")
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(setupTimeout.nanoseconds))
        } catch {
            throw HTTPFailure.classify(error)
        }
        guard response.status.code == 200 else {
            throw await HTTPFailure.status(
                of: response, redactor: options.redactor, presented: options.credential?.presented?.generation)
        }

        let inbound = InboundQueue()
        let (endpoints, announce) = AsyncStream.makeStream(of: String.self)
        let outcome = await withTaskGroup(of: Void.self, returning: Result<Value, Failure>.self) { group in
            group.addTask {
                await readStream(
                    response.body, maxMessageBytes: maxMessageBytes, endpoints: announce, messages: inbound)
            }
            // The `endpoint` event, within the setup timeout.
            let firstEndpoint = await withTimeout(setupTimeout) { () -> String? in
                for await endpoint in endpoints { return endpoint }
                return nil
            }
            guard let endpoint = firstEndpoint ?? nil else {
                group.cancelAll()
                return .failure(
                    Failure(
                        .protocol, "no endpoint event on the SSE stream within \(DurationText.format(setupTimeout))"))
            }
            let connection: LegacySSEConnection
            do throws(Failure) {
                connection = try LegacySSEConnection(
                    options: options, messageEndpoint: resolve(endpoint, against: streamURL), inbound: inbound)
            } catch {
                group.cancelAll()
                return .failure(error)
            }
            let value = await body(connection)
            connection.close()
            // Ends the GET stream, which ends the session on the server.
            group.cancelAll()
            return .success(value)
        }
        return try outcome.get()
    }

    private static func readStream(
        _ body: HTTPClientResponse.Body, maxMessageBytes: Int,
        endpoints: AsyncStream<String>.Continuation, messages: InboundQueue
    ) async {
        var parser = SSEParser(maxEventBytes: maxMessageBytes)
        var reason = "the SSE stream ended"
        do {
            for try await buffer in body {
                var room = true
                parser.append(buffer.readableBytesView) { output in
                    switch output {
                    case .event(let event) where event.type == "endpoint":
                        endpoints.yield(event.data)
                    case .event(let event) where event.type == "message":
                        room = messages.yield(.frame(.line(event.bytes))) && room
                    case .event:
                        break
                    case .oversize(let byteCount):
                        room = messages.yield(.frame(.oversize(byteCount: byteCount))) && room
                    }
                }
                // The next chunk waits until the session caught up: that holds the server back.
                if !room { await messages.waitForRoom() }
            }
        } catch {
            reason = "the SSE stream failed: \(error)"
        }
        endpoints.finish()
        messages.yield(.closed(reason))
        messages.finish()
    }

    /// The endpoint event's URL, resolved against the stream's (it is usually a path).
    static func resolve(_ endpoint: String, against streamURL: String) -> String {
        if endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") { return endpoint }
        guard let schemeEnd = streamURL.range(of: "://") else { return endpoint }
        let afterScheme = streamURL[schemeEnd.upperBound...]
        let origin = streamURL[..<(afterScheme.firstIndex(of: "/") ?? streamURL.endIndex)]
        if endpoint.hasPrefix("/") { return origin + endpoint }
        let directory = streamURL[
            ..<(streamURL.lastIndex(of: "/").map { streamURL.index(after: $0) } ?? streamURL.endIndex)]
        return directory + endpoint
    }
}
