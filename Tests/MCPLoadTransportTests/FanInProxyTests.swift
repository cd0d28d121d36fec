import MCPLoadCore
import MCPLoadJSONRPC
import Synchronization
import Testing

@testable import MCPLoadTransport

/// The fan-in proxy's I/O on in-memory transports: clients as real JSON-RPC cores, the shared
/// server played by the test.
@Suite("Fan-in proxy", .timeLimit(.minutes(1)))
struct FanInProxyTests {
    /// One request from a fresh JSON-RPC client attached to the proxy.
    private static func request(
        through proxy: FanInProxy, _ method: String, params: JSONValue?, timeout: Duration
    ) async -> JSONRPCReply {
        await proxy.withClient { transport in
            let client = JSONRPCClient(transport: transport)
            return await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                let reply = await client.request(method, params: params, timeout: timeout)
                group.cancelAll()
                return reply
            }
        }
    }

    @Test("clients with colliding ids each get their own answer through a rewriting proxy")
    func rewritingProxyEndToEnd() async {
        // An echo server: answers every request with its own params, on the same id.
        let server = Mutex<InMemoryTransport?>(nil)
        let upstream = InMemoryTransport { bytes throws(Failure) in
            guard let request = try? JSONValue.decode(bytes), let id = request["id"] else { return }
            let answer = JSONWriter.bytes(["jsonrpc": "2.0", "id": id, "result": request["params"] ?? .null])
            server.withLock { $0 }?.deliver(String(decoding: answer, as: UTF8.self))
        }
        server.withLock { $0 = upstream }
        let (replies, statistics) = await FanInProxy.withProxy(
            inFrontOf: upstream, settings: FanInSettings(ids: .rewrite)
        ) { proxy in
            await withTaskGroup(of: JSONRPCReply.self, returning: [JSONRPCReply].self) { group in
                for index in 1...10 {
                    group.addTask {
                        await Self.request(
                            through: proxy, "tools/call", params: ["client": .int(Int64(index))], timeout: .seconds(30))
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        let answered = replies.compactMap { reply -> Int64? in
            guard case .result(let result) = reply.answer else { return nil }
            return result["client"]?.intValue
        }
        #expect(answered.sorted() == Array(1...10))
        #expect(statistics.requestsForwarded == 10)
        #expect(statistics.clientSessions == 10)
        #expect(statistics.unmatchedResponses == 0)
        upstream.close()
    }

    @Test("behind a server that stopped reading, the request being written times out and the queued one was never sent")
    func stalledServer() async {
        // The first write blocks until the proxy aborts the server at shutdown.
        let gate = AsyncStream.makeStream(of: Void.self)
        let upstream = InMemoryTransport(
            onSend: { _ throws(Failure) in
                for await _ in gate.stream {}
                throw Failure(.transport, "server killed")
            },
            onAbort: { gate.continuation.finish() })
        let (replies, _) = await FanInProxy.withProxy(inFrontOf: upstream, settings: FanInSettings()) { proxy in
            async let first = Self.request(through: proxy, "tools/call", params: nil, timeout: .milliseconds(500))
            async let second = Self.request(through: proxy, "tools/call", params: nil, timeout: .milliseconds(500))
            return await [first, second]
        }
        // Whichever reached the writer first was being written; the other never left the queue.
        let classes = replies.compactMap(\.answer.failure?.failureClass).sorted()
        #expect(classes == [.notSent, .timeout])
        #expect(replies.first { $0.answer.failure?.failureClass == .notSent }?.bytesOut == 0)
    }

    @Test("when the shared server exits, a client waiting on it fails as `transport`, and a later one is not sent")
    func serverExit() async {
        let received = AsyncStream.makeStream(of: Void.self)
        let upstream = InMemoryTransport { _ throws(Failure) in received.continuation.yield() }
        let (replies, _) = await FanInProxy.withProxy(inFrontOf: upstream, settings: FanInSettings()) { proxy in
            async let waiting = Self.request(through: proxy, "tools/call", params: nil, timeout: .seconds(30))
            // The server exits once it has the request.
            var arrivals = received.stream.makeAsyncIterator()
            _ = await arrivals.next()
            upstream.close("exited(1)")
            let first = await waiting
            // A session attached after the exit finds its connection closed and cannot send.
            let later = await proxy.withClient { transport -> (InboundEvent?, FailureClass?) in
                var events = transport.inbound.makeAsyncIterator()
                let event = await events.next()
                do throws(Failure) {
                    try await transport.send(Array("{}".utf8), awaiting: nil)
                    return (event, nil)
                } catch {
                    return (event, error.failureClass)
                }
            }
            return (first, later)
        }
        #expect(replies.0.answer.failure?.failureClass == .transport)
        #expect(replies.1.0 == .closed("the shared server ended: exited(1)"))
        #expect(replies.1.1 == .notSent)
    }
}
