import Foundation
import HTTPTypes
import Hummingbird
import MCPLoadCore
import MCPLoadJSONRPC

/// The legacy HTTP+SSE transport (MCP 2024-11-05): `GET /sse` opens a session stream whose
/// first event names the endpoint to POST messages to; answers come back on the stream.
struct LegacySSEEndpoint: Sendable {
    let handler: RequestHandler
    let sessions: LegacySSESessions
    let http: DemoHTTPOptions
    let resourceGuard: DemoResourceGuard

    func stream(_ request: Request) async -> Response {
        if case .refused(let response) = await resourceGuard.admit(request) { return response }
        let (session, jobs) = await sessions.open()
        let handler = self.handler
        let sessions = self.sessions
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                do {
                    try await Self.serve(session: session, jobs: jobs, handler: handler, writer: &writer)
                } catch {
                    // The client went away: the session ends with its stream.
                    await sessions.close(session)
                    throw error
                }
                await sessions.close(session)
                try await writer.finish(nil)
            })
    }

    private static func serve(
        session: String, jobs: AsyncStream<LegacySSESessions.Job>, handler: RequestHandler,
        writer: inout any ResponseBodyWriter
    ) async throws {
        try await writer.write(ByteBuffer(string: "event: endpoint\ndata: /messages?sessionId=\(session)\n\n"))
        let (messages, outbox) = AsyncStream.makeStream(of: [UInt8].self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Every request of the session is handled beside the others, like a real server.
                await withDiscardingTaskGroup { requests in
                    for await job in jobs {
                        requests.addTask {
                            let side = Outbox(reachesClient: true) { outbox.yield($0) }
                            outbox.yield(
                                await handler.answer(id: job.id, method: job.method, params: job.params, outbox: side))
                        }
                    }
                }
                outbox.finish()
            }
            for await message in messages {
                try await writer.write(
                    ByteBuffer(bytes: Array("event: message\ndata: ".utf8) + message + Array("\n\n".utf8)))
            }
            try await group.waitForAll()
        }
    }

    func post(_ incoming: Request) async throws -> Response {
        var request = incoming
        if case .refused(let response) = await resourceGuard.admit(request) { return response }
        guard let session = request.uri.queryParameters.get("sessionId"), await sessions.isOpen(session) else {
            return Response(status: .notFound)
        }
        let body = try await request.collectBody(upTo: MCPEndpoint.maximumBodyBytes)
        guard let message = try? JSONRPCMessage.parse(Array(body.readableBytesView)) else {
            return Response(status: .badRequest)
        }
        switch message {
        case .request(let id, let method, let params):
            let queued = await sessions.enqueue(.init(id: id, method: method, params: params), session: session)
            return Response(status: queued ? .accepted : .notFound)
        case .notification:
            return Response(status: .accepted)
        case .response, .errorResponse:
            await handler.state.resolve(message)
            return Response(status: .accepted)
        }
    }
}
