import MCPLoadCore
import MCPLoadJSONRPC
import Synchronization
import Testing

@testable import MCPLoadTransport

/// The client core against an in-memory server: no process, no socket, no sleeps.
@Suite("JSON-RPC client core", .timeLimit(.minutes(1)))
struct JSONRPCClientTests {
    /// Records what the client sends and lets the test answer when it chooses.
    final class FakeServer: Sendable {
        let sent = AsyncStream.makeStream(of: JSONValue.self)
        let transport: InMemoryTransport

        init() {
            let continuation = sent.continuation
            transport = InMemoryTransport { bytes throws(Failure) in
                continuation.yield((try? JSONValue.decode(bytes)) ?? .null)
            }
        }

        func nextSent() async -> JSONValue {
            var iterator = sent.stream.makeAsyncIterator()
            return await iterator.next() ?? .null
        }
    }

    @Test("ids are unique and answers are matched by id, even out of order")
    func matchingOutOfOrder() async throws {
        let server = FakeServer()
        let client = JSONRPCClient(transport: server.transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            async let first = client.request("tools/call", params: ["name": "a"], timeout: .seconds(30))
            async let second = client.request("tools/call", params: ["name": "b"], timeout: .seconds(30))
            let requests = [await server.nextSent(), await server.nextSent()]
            let ids = requests.compactMap { $0["id"]?.intValue }
            #expect(Set(ids).count == 2)
            // Answer in reverse order, each with its own name.
            for request in requests.reversed() {
                let name = request["params"]?["name"]?.stringValue ?? "?"
                server.transport.deliver(
                    #"{"jsonrpc":"2.0","id":\#(request["id"]?.intValue ?? 0),"result":{"name":"\#(name)"}}"#)
            }
            let (a, b) = await (first, second)
            #expect(a.answer == .result(["name": "a"]))
            #expect(b.answer == .result(["name": "b"]))
            server.transport.close()
            try await group.waitForAll()
        }
    }

    @Test("a request with no answer times out as `timeout`, and its late answer is counted as unmatched")
    func timeout() async throws {
        let server = FakeServer()
        let client = JSONRPCClient(transport: server.transport)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let reply = await client.request("tools/call", params: nil, timeout: .milliseconds(20))
            #expect(reply.answer.failureClass == .timeout)
            let sent = await server.nextSent()
            server.transport.deliver(#"{"jsonrpc":"2.0","id":\#(sent["id"]?.intValue ?? 0),"result":{}}"#)
            server.transport.close()
            await group.waitForAll()
        }
        #expect(await client.traffic.unmatchedResponses == 1)
    }

    @Test(
        "server ping is answered with a result, other server requests with method-not-found; notifications are counted")
    func serverInitiated() async throws {
        let server = FakeServer()
        let client = JSONRPCClient(transport: server.transport)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            server.transport.deliver(#"{"jsonrpc":"2.0","id":"s1","method":"ping"}"#)
            server.transport.deliver(#"{"jsonrpc":"2.0","id":"s2","method":"sampling/createMessage","params":{}}"#)
            server.transport.deliver(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}"#)
            let pong = await server.nextSent()
            let refusal = await server.nextSent()
            #expect(pong == ["jsonrpc": "2.0", "id": "s1", "result": [:]])
            #expect(refusal["id"] == "s2")
            #expect(refusal["error"]?["code"] == .int(-32601))
            server.transport.close()
            await group.waitForAll()
        }
        let traffic = await client.traffic
        #expect(traffic.serverRequests == ["ping": 1, "sampling/createMessage": 1])
        #expect(traffic.notifications == ["notifications/progress": 1])
    }

    @Test(
        "an answer with an id this session never sent is misrouted: it fails the oldest request waiting as `protocol`")
    func misrouted() async throws {
        let server = FakeServer()
        let client = JSONRPCClient(transport: server.transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            async let first = client.request("ping", params: nil, timeout: .seconds(30))
            let firstID = await server.nextSent()["id"]?.intValue ?? 0
            async let second = client.request("ping", params: nil, timeout: .seconds(30))
            let secondID = await server.nextSent()["id"]?.intValue ?? 0
            #expect(firstID < secondID)
            // Another session's answers: a string id this session never used, and a number beyond its own.
            server.transport.deliver(#"{"jsonrpc":"2.0","id":"other-7","result":{}}"#)
            server.transport.deliver(#"{"jsonrpc":"2.0","id":\#(secondID + 100),"result":{}}"#)
            let (a, b) = await (first, second)
            #expect(a.answer.failureClass == .protocol)
            #expect(
                a.answer.failure?.message == "misrouted: an answer with an id this session never sent")
            #expect(b.answer.failureClass == .protocol)
            // Late answers to its own requests are not misrouted: they are counted as unmatched.
            server.transport.deliver(#"{"jsonrpc":"2.0","id":\#(firstID),"result":{}}"#)
            // With nothing in flight, a misrouted answer is only counted.
            server.transport.deliver(#"{"jsonrpc":"2.0","id":"other-8","result":{}}"#)
            server.transport.close()
            try await group.waitForAll()
            let traffic = await client.traffic
            #expect(traffic.misroutedResponses == 3)
            #expect(traffic.unmatchedResponses == 1)
        }
    }

    @Test("a malformed line fails the request in flight as `protocol`; a closed stream fails it as `transport`")
    func brokenServer() async throws {
        for (event, expected) in [
            (InboundEvent.frame(.line(Array("{oops".utf8))), FailureClass.protocol),
            (.frame(.oversize(byteCount: 1 << 30)), .protocol),
            (.closed("process exited"), .transport),
        ] {
            let server = FakeServer()
            let client = JSONRPCClient(transport: server.transport)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                async let reply = client.request("tools/list", params: nil, timeout: .seconds(30))
                _ = await server.nextSent()
                server.transport.deliver(event)
                #expect(await reply.answer.failureClass == expected)
                server.transport.close()
                await group.waitForAll()
            }
        }
    }

    @Test("a write that cannot finish times out, and the transport is aborted to free it")
    func blockedWrite() async {
        let (aborted, abort) = AsyncStream.makeStream(of: Void.self)
        let transport = InMemoryTransport(
            onSend: { _ throws(Failure) in
                // Blocks like a full pipe until the connection is aborted.
                for await _ in aborted {}
                throw Failure(.notSent, "write failed: connection aborted")
            },
            onAbort: { abort.finish() })
        let client = JSONRPCClient(transport: transport)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let reply = await client.request("tools/call", params: nil, timeout: .milliseconds(50))
            #expect(reply.answer.failureClass == .timeout)
            await group.waitForAll()
        }
        #expect(await client.closure != nil)
    }

    @Test("after the server's side closed, requests are `not_sent`")
    func notSentAfterClose() async {
        let server = FakeServer()
        let client = JSONRPCClient(transport: server.transport)
        server.transport.close()
        await client.run()
        let reply = await client.request("ping", params: nil, timeout: .seconds(1))
        #expect(reply.answer.failureClass == .notSent)
    }
}

extension JSONRPCAnswer {
    var failureClass: FailureClass? {
        if case .failed(let failure) = self { return failure.failureClass }
        return nil
    }
}
