import MCPLoadCore
import MCPLoadJSONRPC

/// The fan-in proxy's decisions, as a value: which client message goes to the server (with
/// which id), which server message goes to which client. No I/O, so every rule is unit-tested.
///
/// With `ids: passthrough` the router is the naive proxy: it forwards bytes untouched and routes
/// answers through a map from id to client, as byte-forwarding proxies do. Every client numbers
/// its requests from 1, so a second client's request overwrites the first one's entry: the
/// first answer goes to the client that asked last, the second finds no entry and is dropped.
/// With `ids: rewrite` every request gets a proxy-wide unique id and its answer goes back to
/// exactly the client that sent it, under that client's own id.
struct FanInRouter {
    /// A client session attached to the proxy.
    typealias Client = Int

    enum Action: Sendable, Equatable {
        /// Write this message to the server.
        case forward([UInt8])
        /// Hand this message to the client.
        case deliver([UInt8], to: Client)
    }

    private(set) var statistics = FanInStatistics()
    private let settings: FanInSettings
    /// Attached clients, longest-attached first.
    private var attached: [Client] = []
    private var nextClient: Client = 1

    /// `rewrite`: the proxy's id for each request in flight, and whose it is.
    private var outstanding: [JSONRPCID: Origin] = [:]
    /// `rewrite`: proxy ids of requests whose client left before the answer came (the most
    /// recent ones: an answer later than thousands of others is counted as unmatched).
    private var abandoned = RecentIDs(capacity: FanInRouter.forgottenAfter)
    private var nextUpstreamID: Int64 = 1
    /// `passthrough`: who gets the answer to each id; whether another client's entry was overwritten.
    private var routes: [JSONRPCID: (client: Client, overwrote: Bool)] = [:]
    /// `rewrite`: server requests handed to clients and not answered yet (the most recent ones).
    private var openServerRequests = RecentIDs(capacity: FanInRouter.forgottenAfter)
    /// How many ids the router remembers for answers that may never come.
    static let forgottenAfter = 4096
    private var handshake = Handshake.none
    private var initializedForwarded = false

    private struct Origin {
        var client: Client
        var id: JSONRPCID
    }

    /// `initialize: intercept`: the one handshake the server sees, and who waits for its answer.
    private enum Handshake {
        case none
        /// Forwarded as `id` (the id the server sees); `waiters` asked meanwhile.
        case inFlight(id: JSONRPCID, waiters: [Origin])
        /// The server's `result`, replayed to every later `initialize`.
        case done(JSONValue)
    }

    init(settings: FanInSettings) {
        self.settings = settings
    }

    mutating func attach() -> Client {
        let client = nextClient
        nextClient += 1
        attached.append(client)
        statistics.clientSessions += 1
        return client
    }

    /// Forgets a client. Answers still due to it are counted as late when they come.
    mutating func detach(_ client: Client) {
        attached.removeAll { $0 == client }
        for (id, origin) in outstanding where origin.client == client {
            outstanding[id] = nil
            abandoned.insert(id)
        }
        for (id, route) in routes where route.client == client {
            routes[id] = nil
        }
        if case .inFlight(let id, let waiters) = handshake {
            handshake = .inFlight(id: id, waiters: waiters.filter { $0.client != client })
        }
    }

    // MARK: Client → server

    mutating func fromClient(_ client: Client, _ bytes: [UInt8]) -> [Action] {
        guard let (message, value) = Self.parse(bytes) else {
            // Not JSON-RPC: a proxy passes it on, and the server's answer (null id) names no client.
            return [.forward(bytes)]
        }
        switch message {
        case .request(let id, let method, _):
            let origin = Origin(client: client, id: id)
            if method == "initialize" && settings.initialize == .intercept {
                return intercept(origin, value: value, bytes: bytes)
            }
            if method == "initialize" { statistics.initializeForwarded += 1 }
            return [forward(origin, value: value, bytes: bytes)]
        case .notification(let method, _):
            if method == "notifications/initialized" && settings.initialize == .intercept {
                // The server was initialized once; it hears that the handshake completed once.
                if initializedForwarded { return [] }
                initializedForwarded = true
            }
            return [.forward(bytes)]
        case .response(let id, _), .errorResponse(let id, _, _, _):
            // A client answering a server request. A rewriting proxy passes one answer per request.
            if settings.ids == .rewrite {
                guard openServerRequests.remove(id) else {
                    statistics.duplicateAnswersDropped += 1
                    return []
                }
            }
            return [.forward(bytes)]
        }
    }

    private mutating func forward(_ origin: Origin, value: JSONValue, bytes: [UInt8]) -> Action {
        statistics.requestsForwarded += 1
        switch settings.ids {
        case .passthrough:
            let overwrote = routes[origin.id] != nil
            if overwrote { statistics.idCollisions += 1 }
            routes[origin.id] = (origin.client, overwrote)
            return .forward(bytes)
        case .rewrite:
            let upstream = JSONRPCID.number(nextUpstreamID)
            nextUpstreamID += 1
            outstanding[upstream] = origin
            return .forward(Self.replacingID(of: value, with: upstream))
        }
    }

    /// The id the server sees for a request just forwarded by ``forward(_:value:bytes:)``.
    private func upstreamID(of origin: Origin) -> JSONRPCID {
        settings.ids == .rewrite ? .number(nextUpstreamID - 1) : origin.id
    }

    private mutating func intercept(_ origin: Origin, value: JSONValue, bytes: [UInt8]) -> [Action] {
        switch handshake {
        case .done(let result):
            statistics.initializeIntercepted += 1
            return [.deliver(JSONRPCEncoder.result(id: origin.id, result), to: origin.client)]
        case .inFlight(let id, let waiters):
            statistics.initializeIntercepted += 1
            handshake = .inFlight(id: id, waiters: waiters + [origin])
            return []
        case .none:
            statistics.initializeForwarded += 1
            let action = forward(origin, value: value, bytes: bytes)
            handshake = .inFlight(id: upstreamID(of: origin), waiters: [])
            return [action]
        }
    }

    // MARK: Server → client

    mutating func fromServer(_ line: [UInt8]) -> [Action] {
        guard let (message, value) = Self.parse(line) else { return unaddressed(line) }
        switch message {
        case .response(let id, _), .errorResponse(let id, _, _, _):
            guard id != .null else { return unaddressed(line) }
            return answer(id, value: value, line: line)
        case .notification:
            return unaddressed(line)
        case .request(let id, _, _):
            if settings.ids == .rewrite { openServerRequests.insert(id) }
            return unaddressed(line)
        }
    }

    private mutating func answer(_ id: JSONRPCID, value: JSONValue, line: [UInt8]) -> [Action] {
        var actions: [Action] = []
        switch settings.ids {
        case .passthrough:
            guard let route = routes.removeValue(forKey: id) else {
                statistics.unmatchedResponses += 1
                return []
            }
            if route.overwrote { statistics.ambiguousDeliveries += 1 }
            actions.append(.deliver(line, to: route.client))
        case .rewrite:
            if let origin = outstanding.removeValue(forKey: id) {
                actions.append(.deliver(Self.replacingID(of: value, with: origin.id), to: origin.client))
            } else if abandoned.remove(id) {
                statistics.lateResponses += 1
            } else {
                statistics.unmatchedResponses += 1
                return []
            }
        }
        if case .inFlight(let handshakeID, let waiters) = handshake, handshakeID == id {
            // The one initialize the server saw: its answer is every waiting client's answer.
            // An error is not cached; the next initialize tries the server again.
            if let result = value["result"] {
                handshake = .done(result)
            } else {
                handshake = .none
            }
            for waiter in waiters {
                actions.append(.deliver(Self.replacingID(of: value, with: waiter.id), to: waiter.client))
            }
        }
        return actions
    }

    private mutating func unaddressed(_ line: [UInt8]) -> [Action] {
        statistics.unaddressedMessages += 1
        let recipients =
            switch settings.route {
            case .broadcast: attached
            case .first: Array(attached.prefix(1))
            }
        statistics.unaddressedCopies += UInt64(recipients.count)
        return recipients.map { .deliver(line, to: $0) }
    }

    // MARK: Bytes

    private static func parse(_ bytes: [UInt8]) -> (JSONRPCMessage, JSONValue)? {
        guard let value = try? JSONParser.parse(bytes), let message = try? JSONRPCMessage.classify(value)
        else { return nil }
        return (message, value)
    }

    private static func replacingID(of value: JSONValue, with id: JSONRPCID) -> [UInt8] {
        var members = value.objectValue ?? [:]
        members["id"] = id.json
        return JSONWriter.bytes(.object(members))
    }
}
