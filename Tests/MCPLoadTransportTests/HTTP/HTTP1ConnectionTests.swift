import MCPLoadCore
import NIOCore
import NIOHTTP1
import Testing

@testable import MCPLoadTransport

/// The POST path's own connections against a scripted loopback server: what is reused, what
/// is closed, and how each way an answer can go wrong is classified.
@Suite("HTTP/1.1 connections of a session")
struct HTTP1ConnectionTests {
    private static func json(_ id: Int) -> String { #"{"jsonrpc":"2.0","id":\#(id),"result":{}}"# }

    /// Sends `count` requests one after another; returns the answers and the messages delivered.
    private func send(
        _ count: Int, to server: ScriptedHTTPServer, maxMessageBytes: Int = 1 << 20
    ) async throws -> (answers: [Result<PostAnswer, Failure>], delivered: [String]) {
        let connections = SessionConnections(
            origin: try HTTPOrigin(endpoint: server.endpoint), connectTimeout: .seconds(5), idleTimeout: nil)
        defer { connections.closeAll() }
        let inbound = InboundQueue()
        var answers: [Result<PostAnswer, Failure>] = []
        for _ in 0..<count {
            let head = HTTPRequestHead(
                version: .http1_1, method: .POST, uri: "/mcp",
                headers: ["Host": "127.0.0.1", "Content-Length": "2", "Content-Type": "application/json"])
            let reader = PostAnswerReader(sink: inbound, maxMessageBytes: maxMessageBytes)
            do throws(Failure) {
                let answer = try await connections.send(head, body: ByteBuffer(string: "{}"), reader: reader)
                answers.append(.success(answer))
            } catch {
                answers.append(.failure(error))
            }
        }
        inbound.finish()
        var delivered: [String] = []
        for await event in inbound {
            if case .frame(.line(let line)) = event { delivered.append(String(decoding: line, as: UTF8.self)) }
        }
        return (answers, delivered)
    }

    @Test("one keep-alive connection carries a session's requests one after another")
    func keepAlive() async throws {
        let server = try await ScriptedHTTPServer {
            .answer(status: .ok, contentType: "application/json", body: Self.json($0))
        }
        let (answers, delivered) = try await send(5, to: server)
        await server.stop()
        #expect(answers.allSatisfy { (try? $0.get().head.status) == .ok })
        #expect(delivered == (0..<5).map(Self.json))
        #expect(server.connectionsAccepted == 1)
    }

    @Test("a server that closes after each answer gets a fresh connection for the next request")
    func connectionClose() async throws {
        let server = try await ScriptedHTTPServer {
            .answer(status: .ok, contentType: "application/json", body: Self.json($0), close: true)
        }
        let (answers, delivered) = try await send(3, to: server)
        await server.stop()
        #expect(answers.allSatisfy { (try? $0.get()) != nil })
        #expect(delivered.count == 3)
        #expect(server.connectionsAccepted == 3)
    }

    @Test("an answer cut short is a transport failure, and the next request gets a new connection")
    func cut() async throws {
        let server = try await ScriptedHTTPServer { index in
            index == 0
                ? .cut(announced: 100, sent: #"{"jsonrpc":"#)
                : .answer(status: .ok, contentType: "application/json", body: Self.json(index))
        }
        let (answers, delivered) = try await send(2, to: server)
        await server.stop()
        guard case .failure(let failure) = answers[0] else {
            Issue.record("the cut answer succeeded")
            return
        }
        #expect(failure.failureClass == .transport && failure.message.contains("connection lost"))
        #expect((try? answers[1].get().head.status) == .ok)
        #expect(delivered == [Self.json(1)])
        #expect(server.connectionsAccepted == 2)
    }

    @Test("an error answer keeps the first 4 KiB of its body, and its connection stays in use")
    func errorBody() async throws {
        let long = String(repeating: "x", count: 10_000)
        let server = try await ScriptedHTTPServer { index in
            index == 0
                ? .answer(status: .serviceUnavailable, contentType: "text/plain", body: long)
                : .answer(status: .ok, contentType: "application/json", body: Self.json(index))
        }
        let (answers, _) = try await send(2, to: server)
        await server.stop()
        let first = try answers[0].get()
        #expect(first.head.status == .serviceUnavailable && first.errorBody.count == PostAnswerReader.errorBodyPrefix)
        let failure = HTTPFailure.status(first.head, body: first.errorBody, redactor: .none)
        #expect(failure.message.hasPrefix("HTTP 503 Service Unavailable: xxx"))
        #expect(server.connectionsAccepted == 1)
    }

    @Test("a JSON answer over the size limit is a protocol failure; its body is drained, not delivered")
    func oversize() async throws {
        let big = #"{"jsonrpc":"2.0","id":0,"result":{"text":""# + String(repeating: "y", count: 5000) + #""}}"#
        let server = try await ScriptedHTTPServer { index in
            .answer(status: .ok, contentType: "application/json", body: index == 0 ? big : Self.json(index))
        }
        let (answers, delivered) = try await send(2, to: server, maxMessageBytes: 1000)
        await server.stop()
        let failure = try answers[0].get().failure
        #expect(failure?.failureClass == .protocol && failure?.message.contains("1000 bytes") == true)
        #expect(delivered == [Self.json(1)])
        #expect(server.connectionsAccepted == 1)
    }

    @Test("SSE answers deliver each message as it completes, and a wrong Content-Type is a protocol failure")
    func events() async throws {
        let stream = "event: message\ndata: \(Self.json(7))\n\n: keep-alive\n\ndata: \(Self.json(8))\n\n"
        let server = try await ScriptedHTTPServer { index in
            index == 0
                ? .answer(status: .ok, contentType: "text/event-stream", body: stream)
                : .answer(status: .ok, contentType: "text/html", body: "<p>hi</p>")
        }
        let (answers, delivered) = try await send(2, to: server)
        await server.stop()
        #expect(delivered == [Self.json(7), Self.json(8)])
        #expect(try answers[0].get().events?.answered(.number(8)) == true)
        #expect(try answers[1].get().failure?.message == "answer with unexpected Content-Type 'text/html'")
    }

    @Test("cancelling a request whose answer is under way closes its connection; the session goes on")
    func cancelled() async throws {
        let server = try await ScriptedHTTPServer { index in
            index == 0 ? .hold : .answer(status: .ok, contentType: "application/json", body: Self.json(index))
        }
        let connections = SessionConnections(
            origin: try HTTPOrigin(endpoint: server.endpoint), connectTimeout: .seconds(5), idleTimeout: nil)
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/mcp", headers: ["Host": "127.0.0.1", "Content-Length": "2"])
        let reader = PostAnswerReader(sink: nil, maxMessageBytes: 1 << 20)
        let held = Task { () async -> Result<PostAnswer, Failure> in
            do throws(Failure) {
                return .success(try await connections.send(head, body: ByteBuffer(string: "{}"), reader: reader))
            } catch {
                return .failure(error)
            }
        }
        // The server has the request: the answer is under way when the task is cancelled.
        for await _ in server.requests { break }
        held.cancel()
        let outcome = await held.value
        let next = try await connections.send(head, body: ByteBuffer(string: "{}"), reader: reader)
        connections.closeAll()
        await server.stop()
        guard case .failure(let failure) = outcome else {
            Issue.record("the held request returned")
            return
        }
        #expect(failure.failureClass == .timeout && failure.message == "cancelled")
        #expect(next.head.status == .ok)
        #expect(server.connectionsAccepted == 2)
    }

    @Test(
        "a complete answer reports its stream end right behind it; an unanswered SSE stream or a failure leaves that to the sender"
    )
    func streamEnd() async throws {
        let server = try await ScriptedHTTPServer { index in
            switch index {
            case 0: .answer(status: .ok, contentType: "application/json", body: Self.json(1))
            case 1: .answer(status: .accepted, contentType: "application/json", body: "")
            case 2: .answer(status: .ok, contentType: "text/event-stream", body: "id: 1\ndata: \(Self.json(3))\n\n")
            case 3: .answer(status: .ok, contentType: "text/event-stream", body: "id: 1\ndata: \(Self.json(9))\n\n")
            default: .answer(status: .ok, contentType: "text/html", body: "<p>hi</p>")
            }
        }
        let connections = SessionConnections(
            origin: try HTTPOrigin(endpoint: server.endpoint), connectTimeout: .seconds(5), idleTimeout: nil)
        let inbound = InboundQueue()
        var delivered: [Bool] = []
        for id in 1...5 {
            let head = HTTPRequestHead(
                version: .http1_1, method: .POST, uri: "/mcp", headers: ["Host": "127.0.0.1", "Content-Length": "2"])
            let reader = PostAnswerReader(sink: inbound, maxMessageBytes: 1 << 20, answering: .number(Int64(id)))
            let answer = try await connections.send(head, body: ByteBuffer(string: "{}"), reader: reader)
            delivered.append(answer.streamEndDelivered)
        }
        connections.closeAll()
        await server.stop()
        inbound.finish()
        var events: [InboundEvent] = []
        for await event in inbound { events.append(event) }
        #expect(delivered == [true, true, true, false, false])
        #expect(
            events == [
                .frame(.line(Array(Self.json(1).utf8))), .responseStreamEnded(.number(1)),
                .responseStreamEnded(.number(2)),
                .frame(.line(Array(Self.json(3).utf8))), .responseStreamEnded(.number(3)),
                .frame(.line(Array(Self.json(9).utf8))),
            ])
    }
}
