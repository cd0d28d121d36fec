import MCPLoadCore
import MCPLoadJSONRPC
import Testing

@testable import MCPLoadTransport

/// The fan-in proxy's routing rules, on the state machine alone: no process, no pipe.
@Suite("Fan-in router")
struct FanInRouterTests {
    typealias Action = FanInRouter.Action

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func json(_ bytes: [UInt8]) -> JSONValue { (try? JSONValue.decode(bytes)) ?? .null }

    private func request(_ id: Int, _ method: String = "tools/call", text: String = "x") -> [UInt8] {
        bytes(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{"text":"\#(text)"}}"#)
    }

    private func result(_ id: Int64, _ text: String) -> [UInt8] {
        bytes(#"{"jsonrpc":"2.0","id":\#(id),"result":{"text":"\#(text)"}}"#)
    }

    /// The id and text of the one message an action list forwards.
    private func forwarded(_ actions: [Action]) -> (id: Int64?, text: String?) {
        guard actions.count == 1, case .forward(let message) = actions[0] else { return (nil, nil) }
        let value = json(message)
        return (value["id"]?.intValue, value["params"]?["text"]?.stringValue ?? value["result"]?["text"]?.stringValue)
    }

    private func delivered(_ actions: [Action]) -> [(client: Int, id: Int64?, text: String?)] {
        actions.compactMap { action in
            guard case .deliver(let message, let client) = action else { return nil }
            let value = json(message)
            return (client, value["id"]?.intValue, value["result"]?["text"]?.stringValue)
        }
    }

    @Test("rewrite: colliding client ids become unique, and each answer returns to its own client under its own id")
    func rewriteRoutesExactly() throws {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, initialize: .forward))
        let a = router.attach()
        let b = router.attach()
        let toServerA = forwarded(router.fromClient(a, request(1, text: "from a")))
        let toServerB = forwarded(router.fromClient(b, request(1, text: "from b")))
        let upstreamA = try #require(toServerA.id)
        let upstreamB = try #require(toServerB.id)
        #expect(upstreamA != upstreamB)
        #expect(toServerA.text == "from a" && toServerB.text == "from b")

        // Answered out of order: each still reaches its sender, as id 1.
        let toB = delivered(router.fromServer(result(upstreamB, "for b")))
        let toA = delivered(router.fromServer(result(upstreamA, "for a")))
        #expect(toB.count == 1 && toB[0].client == b && toB[0].id == 1 && toB[0].text == "for b")
        #expect(toA.count == 1 && toA[0].client == a && toA[0].id == 1 && toA[0].text == "for a")
        #expect(router.statistics.idCollisions == 0)
        #expect(router.statistics.requestsForwarded == 2)
    }

    @Test(
        "passthrough: a colliding id takes over the route; the first answer goes to the last asker, the second is dropped"
    )
    func passthroughCollides() {
        var router = FanInRouter(settings: FanInSettings(ids: .passthrough, initialize: .forward))
        let a = router.attach()
        let b = router.attach()
        #expect(forwarded(router.fromClient(a, request(1, text: "from a"))).id == 1)
        #expect(forwarded(router.fromClient(b, request(1, text: "from b"))).id == 1)
        #expect(router.statistics.idCollisions == 1)

        // The server answers a first: the naive map sends that answer to b.
        let first = delivered(router.fromServer(result(1, "for a")))
        #expect(first.count == 1 && first[0].client == b && first[0].text == "for a")
        #expect(router.statistics.ambiguousDeliveries == 1)
        // b's own answer finds no route: a waits forever.
        #expect(router.fromServer(result(1, "for b")).isEmpty)
        #expect(router.statistics.unmatchedResponses == 1)
    }

    @Test("passthrough without collisions routes like a correct proxy")
    func passthroughDistinctIDs() {
        var router = FanInRouter(settings: FanInSettings(ids: .passthrough, initialize: .forward))
        let a = router.attach()
        let b = router.attach()
        _ = router.fromClient(a, request(1))
        _ = router.fromClient(b, request(2))
        #expect(delivered(router.fromServer(result(2, "two"))).map(\.client) == [b])
        #expect(delivered(router.fromServer(result(1, "one"))).map(\.client) == [a])
        #expect(router.statistics.idCollisions == 0 && router.statistics.unmatchedResponses == 0)
    }

    @Test("intercept: the first initialize reaches the server, the others wait and get its result under their own ids")
    func interceptInitialize() throws {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, initialize: .intercept))
        let a = router.attach()
        let b = router.attach()
        let c = router.attach()
        let upstream = try #require(forwarded(router.fromClient(a, request(1, "initialize"))).id)
        #expect(router.fromClient(b, request(7, "initialize")).isEmpty)

        let answers = delivered(router.fromServer(result(upstream, "server info")))
        #expect(answers.map(\.client) == [a, b])
        #expect(answers.map(\.id) == [1, 7])
        #expect(answers.allSatisfy { $0.text == "server info" })

        // Later initializes are answered from the cache, without the server.
        let cached = delivered(router.fromClient(c, request(3, "initialize")))
        #expect(cached.count == 1 && cached[0].client == c && cached[0].id == 3 && cached[0].text == "server info")
        #expect(router.statistics.initializeForwarded == 1)
        #expect(router.statistics.initializeIntercepted == 2)

        // The server hears `initialized` once.
        let initialized = bytes(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(router.fromClient(a, initialized).count == 1)
        #expect(router.fromClient(b, initialized).isEmpty)
    }

    @Test("intercept: a failed initialize is not cached; the next one goes to the server")
    func interceptRetriesAfterError() throws {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, initialize: .intercept))
        let a = router.attach()
        let b = router.attach()
        let upstream = try #require(forwarded(router.fromClient(a, request(1, "initialize"))).id)
        let error = bytes(#"{"jsonrpc":"2.0","id":\#(upstream),"error":{"code":-32603,"message":"busy"}}"#)
        #expect(delivered(router.fromServer(error)).map(\.client) == [a])
        #expect(forwarded(router.fromClient(b, request(1, "initialize"))).id != nil)
        #expect(router.statistics.initializeForwarded == 2)
    }

    @Test("forward: every client's initialize and initialized reach the server")
    func forwardInitialize() {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, initialize: .forward))
        let a = router.attach()
        let b = router.attach()
        let initialized = bytes(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        for client in [a, b] {
            #expect(forwarded(router.fromClient(client, request(1, "initialize"))).id != nil)
            #expect(router.fromClient(client, initialized).count == 1)
        }
        #expect(router.statistics.initializeForwarded == 2)
    }

    @Test("notifications and server requests name no client: broadcast copies to all, first to the oldest")
    func unaddressedRouting() {
        let notification = bytes(#"{"jsonrpc":"2.0","method":"notifications/message","params":{}}"#)
        var broadcast = FanInRouter(settings: FanInSettings(route: .broadcast))
        let clients = [broadcast.attach(), broadcast.attach(), broadcast.attach()]
        #expect(delivered(broadcast.fromServer(notification)).map(\.client) == clients)
        #expect(broadcast.statistics.unaddressedCopies == 3)

        var first = FanInRouter(settings: FanInSettings(route: .first))
        let oldest = first.attach()
        _ = first.attach()
        #expect(delivered(first.fromServer(notification)).map(\.client) == [oldest])
    }

    @Test("rewrite: one client answer per server request reaches the server; duplicates from a broadcast are dropped")
    func serverRequestAnsweredOnce() {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, route: .broadcast))
        let a = router.attach()
        let b = router.attach()
        let ping = bytes(#"{"jsonrpc":"2.0","id":"s1","method":"ping"}"#)
        #expect(delivered(router.fromServer(ping)).map(\.client) == [a, b])
        let pong = bytes(#"{"jsonrpc":"2.0","id":"s1","result":{}}"#)
        #expect(router.fromClient(a, pong) == [.forward(pong)])
        #expect(router.fromClient(b, pong).isEmpty)
        #expect(router.statistics.duplicateAnswersDropped == 1)
    }

    @Test("an answer that comes after its client left is counted as late, not delivered")
    func lateAnswer() throws {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite))
        let a = router.attach()
        let upstream = try #require(forwarded(router.fromClient(a, request(1))).id)
        router.detach(a)
        #expect(router.fromServer(result(upstream, "too late")).isEmpty)
        #expect(router.statistics.lateResponses == 1)
        #expect(router.fromServer(result(999, "nobody's")).isEmpty)
        #expect(router.statistics.unmatchedResponses == 1)
    }

    @Test("a line that is not JSON-RPC is forwarded as written; the server's null-id error is unaddressed")
    func malformedLines() {
        var router = FanInRouter(settings: FanInSettings(ids: .rewrite, route: .first))
        let a = router.attach()
        #expect(router.fromClient(a, bytes("{not json")) == [.forward(bytes("{not json"))])
        let parseError = bytes(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        #expect(delivered(router.fromServer(parseError)).map(\.client) == [a])
        #expect(delivered(router.fromServer(bytes("garbage"))).map(\.client) == [a])
    }
}
