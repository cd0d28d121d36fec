import Foundation
import HTTPTypes
import Hummingbird
import MCPLoadCore
import MCPLoadJSONRPC

/// The `/mcp` endpoint of the HTTP demo server: sessions, status faults, JSON or SSE answers.
struct MCPEndpoint: Sendable {
    let handler: RequestHandler
    let sessions: DemoSessions
    let http: DemoHTTPOptions
    let resourceGuard: DemoResourceGuard
    let resumable = ResumableStreams()

    static let maximumBodyBytes = 16 << 20

    func post(_ incoming: Request) async throws -> Response {
        var request = incoming
        let scopes: Set<String>?
        let tenant: String?
        switch await resourceGuard.admit(request) {
        case .refused(let response): return response
        case .allowed(let granted, let client):
            scopes = granted
            tenant = client
        }
        let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.parse(Array(body.readableBytesView))
        } catch {
            return jsonRPCError(.badRequest, code: JSONRPCErrorCode.parseError, "Parse error")
        }
        if let refusal = await resourceGuard.checkScope(scopes, for: message, request) { return refusal }
        if case .request(let id, let method, let params) = message, !handler.options.preStateless,
            let version = params?["_meta"]?[MCPProtocol.MetaKey.protocolVersion]?.stringValue
        {
            return await answerStateless(
                id: id, method: method, params: params, version: version, headers: request.headers, tenant: tenant)
        }
        let presented = request.headers[MCPHeader.sessionID]
        if case .request(let id, "initialize", let params) = message, !http.stateless {
            guard let session = await sessions.open() else {
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "1"])
            }
            return await answer(id: id, method: "initialize", params: params, session: session, tenant: tenant)
        }
        if !http.stateless && presented == nil {
            return jsonRPCError(.badRequest, code: JSONRPCErrorCode.invalidRequest, "Mcp-Session-Id header is required")
        }
        switch await sessions.admit(session: http.stateless ? nil : presented) {
        case .notFound:
            return jsonRPCError(.notFound, code: JSONRPCErrorCode.invalidRequest, "Session not found")
        case .status(let code):
            return Response(status: .init(code: code), headers: [.retryAfter: "1"])
        case .admitted:
            break
        }
        switch message {
        case .request(let id, let method, let params):
            return await answer(id: id, method: method, params: params, session: presented, tenant: tenant)
        case .notification:
            return Response(status: .accepted)
        case .response, .errorResponse:
            await handler.state.resolve(message)
            return Response(status: .accepted)
        }
    }

    /// A 2026-07-28 request: no session; the envelope's version and the routing headers must
    /// agree with the body, or the answer is an HTTP 400 carrying the spec's error code.
    private func answerStateless(
        id: JSONRPCID, method: String, params: JSONValue?, version: String, headers: HTTPFields, tenant: String?
    ) async -> Response {
        guard version == MCPProtocol.statelessVersion else {
            return jsonRPCError(
                .badRequest, id: id, code: MCPProtocol.ErrorCode.unsupportedProtocolVersion,
                "Unsupported protocol version \(version); supported: \(MCPProtocol.statelessVersion)")
        }
        let expectedName: String? =
            switch method {
            case "tools/call", "prompts/get": params?["name"]?.stringValue
            case "resources/read": params?["uri"]?.stringValue
            default: nil
            }
        let mismatch =
            headers[MCPHeader.protocolVersion] != version || headers[MCPHeader.method] != method
            || (expectedName != nil && headers[MCPHeader.name] != expectedName)
        if mismatch {
            return jsonRPCError(
                .badRequest, id: id, code: MCPProtocol.ErrorCode.headerMismatch,
                "MCP-Protocol-Version, Mcp-Method or Mcp-Name does not match the request body")
        }
        if case .status(let code) = await sessions.admit(session: nil) {
            return Response(status: .init(code: code), headers: [.retryAfter: "1"])
        }
        return await answer(id: id, method: method, params: params, session: nil, tenant: tenant)
    }

    func delete(_ request: Request) async -> Response {
        guard let session = request.headers[MCPHeader.sessionID] else { return Response(status: .badRequest) }
        return Response(status: await sessions.close(session) ? .ok : .notFound)
    }

    private func answer(
        id: JSONRPCID, method: String, params: JSONValue?, session: String?, tenant: String?
    ) async -> Response {
        var headers: HTTPFields = [:]
        if let session { headers[MCPHeader.sessionID] = session }
        if http.jsonResponse {
            let answer = await handler.answer(
                id: id, method: method, params: params, outbox: Outbox(reachesClient: false, tenant: tenant) { _ in })
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
        }
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let handler = self.handler
        let resumable = self.resumable
        let cut = method == "tools/call" ? await resumable.shouldCut(rate: http.cutStreamRate) : false
        let stream = http.cutStreamRate > 0 ? await resumable.open() : nil
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let (messages, continuation) = AsyncStream.makeStream(of: [UInt8].self)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let outbox = Outbox(reachesClient: true, tenant: tenant) { continuation.yield($0) }
                        continuation.yield(await handler.answer(id: id, method: method, params: params, outbox: outbox))
                        continuation.finish()
                    }
                    if let stream {
                        // 2025-11-25's priming event: an id and no data, so the client can resume.
                        try await writer.write(ByteBuffer(string: "id: \(stream)-0\nretry: 10\ndata:\n\n"))
                    }
                    var eventID = 0
                    var open = true
                    if cut {
                        // The connection "drops": the client sees the end of the body now.
                        try await writer.finish(nil)
                        open = false
                    }
                    for await message in messages {
                        eventID += 1
                        if let stream { eventID = await resumable.append(stream, message) }
                        if open {
                            let label = stream.map { "\($0)-\(eventID)" } ?? String(eventID)
                            try await writer.write(ByteBuffer(bytes: Self.sseEvent(id: label, data: message)))
                        }
                    }
                    if let stream { await resumable.finish(stream) }
                    try await group.waitForAll()
                    if open { try await writer.finish(nil) }
                }
            })
    }

    /// GET: with `Last-Event-ID`, the rest of a stream that was cut; without it, the session's
    /// listening stream. Stateless, or with no live session, there is no stream to offer,
    /// which the spec answers with 405.
    func get(_ request: Request) async -> Response {
        if case .refused(let response) = await resourceGuard.admit(request) { return response }
        guard let lastEventID = request.headers[MCPHeader.lastEventID] else {
            guard !http.stateless, let session = request.headers[MCPHeader.sessionID], await sessions.isLive(session)
            else { return Response(status: .methodNotAllowed) }
            return listeningStream(session: session)
        }
        return await resume(lastEventID: lastEventID)
    }

    /// A session's listening stream: a log notification saying it is open, then keep-alive
    /// comments until the session is closed or the client goes away (a write fails).
    private func listeningStream(session: String) -> Response {
        let sessions = self.sessions
        let greeting = JSONRPCEncoder.notification(
            method: "notifications/message",
            params: ["level": "info", "logger": "mcpload-demo", "data": "listening stream open"])
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: Self.sseEvent(id: "listen-1", data: greeting)))
                while await sessions.isLive(session) {
                    try await Task.sleep(for: .milliseconds(250))
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
                try await writer.finish(nil)
            })
    }

    private func resume(lastEventID: String) async -> Response {
        let parts = lastEventID.split(separator: "-")
        guard parts.count == 2, let number = Int(parts[1]),
            let events = await resumable.resume(String(parts[0]), after: number)
        else { return Response(status: .notFound) }
        let stream = String(parts[0])
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for await (number, message) in events {
                    try await writer.write(ByteBuffer(bytes: Self.sseEvent(id: "\(stream)-\(number)", data: message)))
                }
                try await writer.finish(nil)
            })
    }

    static func sseEvent(id: String, data: [UInt8]) -> [UInt8] {
        Array("id: \(id)\nevent: message\ndata: ".utf8) + data + Array("\n\n".utf8)
    }

    private func jsonRPCError(
        _ status: HTTPResponse.Status, id: JSONRPCID = .null, code: Int64, _ message: String
    )
        -> Response
    {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONRPCEncoder.error(id: id, code: code, message: message))))
    }
}

/// MCP's HTTP header names.
enum MCPHeader {
    static let sessionID = fieldName("Mcp-Session-Id")
    static let protocolVersion = fieldName("MCP-Protocol-Version")
    static let method = fieldName("Mcp-Method")
    static let name = fieldName("Mcp-Name")
    static let lastEventID = fieldName("Last-Event-ID")
    /// Which replica answered (``ReplicaHeader``); not part of MCP.
    static let replica = fieldName("Mcp-Replica")

    /// The names above are valid tokens; a typo in one is a programming error caught by every test.
    private static func fieldName(_ text: String) -> HTTPField.Name {
        guard let name = HTTPField.Name(text) else { preconditionFailure("invalid HTTP header name \(text)") }
        return name
    }
}
