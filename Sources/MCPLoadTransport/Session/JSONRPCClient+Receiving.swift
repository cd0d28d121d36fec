import MCPLoadCore
import MCPLoadJSONRPC

/// The session's reading side: every message from the server, matched to its request or
/// counted as what it is.
extension JSONRPCClient {
    /// Method names come from the server: counted by name up to a bound (``Dictionary/boundedKey(_:overflow:)``).
    static func boundedKey(_ method: String, in counts: [String: UInt64]) -> String {
        counts.boundedKey(method, overflow: "(other methods)")
    }

    /// Messages handled in a row before the reader lets the session's other work onto the actor.
    static let eventsBetweenYields = 64

    /// Reads the server's messages until its side ends, and expires requests whose deadline
    /// passes. Run it beside the requests.
    package func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchDeadlines() }
            var sinceYield = 0
            for await event in transport.inbound {
                await receive(event, at: clock.now)
                // A server that floods never lets the stream run dry, so this loop would never
                // suspend and keep the actor from everything else: requests giving up at their
                // deadline, requests being sent. Now and then it steps aside.
                sinceYield += 1
                if sinceYield == Self.eventsBetweenYields {
                    sinceYield = 0
                    await Task.yield()
                }
            }
            close("server's stream ended")
            group.cancelAll()
        }
    }

    func receive(_ event: InboundEvent, at instant: Duration) async {
        switch event {
        case .frame(.line(let line)):
            await handle(line, at: instant)
        case .frame(.oversize(let byteCount)):
            failInFlight(Failure(.protocol, "message of \(byteCount) bytes exceeds the limit"), at: instant)
        case .streamResumed:
            traffic.resumedStreams += 1
        case .listeningStream(let opened):
            if opened { traffic.listeningStreams += 1 } else { traffic.listeningStreamsRefused += 1 }
        case .responseStreamEnded(let id):
            let failure = Failure(.transport, "the response stream ended before the answer")
            let arrival = Arrival(answer: .failed(failure), at: instant, bytes: 0)
            if !deliver(arrival, to: id) { _ = adopted.deliver(arrival, to: id) }
        case .closed(let reason):
            close(reason)
        }
    }

    func handle(_ line: [UInt8], at instant: Duration) async {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.parse(line, redactor: redactor)
        } catch {
            failInFlight(error, at: instant, bytes: line.count + 1)
            return
        }
        switch message {
        case .response(let id, let result):
            settle(id, .result(result), at: instant, bytes: line.count + 1)
        case .errorResponse(let id, let code, let text, let data):
            settle(id, .error(code: code, message: text, data: data), at: instant, bytes: line.count + 1)
        case .notification(let method, _):
            traffic.notifications[Self.boundedKey(method, in: traffic.notifications), default: 0] += 1
        case .request(let id, let method, _):
            traffic.serverRequests[Self.boundedKey(method, in: traffic.serverRequests), default: 0] += 1
            await answerServerRequest(id: id, method: method)
        }
    }

    func settle(_ id: JSONRPCID, _ answer: JSONRPCAnswer, at instant: Duration, bytes: Int) {
        let arrival = Arrival(answer: answer, at: instant, bytes: bytes)
        if deliver(arrival, to: id) || adopted.deliver(arrival, to: id) { return }
        guard !sentByThisSession(id) else {
            traffic.unmatchedResponses += 1
            return
        }
        // Another session's answer reached this one: the routing between them is broken, and
        // the request this session waits on longest is the one whose answer went astray.
        traffic.misroutedResponses += 1
        guard let oldest = slots.keys.min(by: Self.sendOrder) else { return }
        // One message for all of them (the ids vary): reports group failures by message.
        let failure = Failure(.protocol, "misrouted: an answer with an id this session never sent")
        deliver(Arrival(answer: .failed(failure), at: instant, bytes: bytes), to: oldest)
    }

    /// Whether `id` is one this session sent: numbered requests and raw lines' ids. A null id
    /// (the answer to a line the server could not parse) is never misrouted.
    func sentByThisSession(_ id: JSONRPCID) -> Bool {
        if case .number(let number) = id, ids.issued(number) { return true }
        return id == .null || rawIDs.contains(id) || rawIDs.count > Self.rawIDLimit
    }

    /// Numbered requests in the order they were sent, raw lines' ids after them.
    static func sendOrder(_ lhs: JSONRPCID, _ rhs: JSONRPCID) -> Bool {
        switch (lhs, rhs) {
        case (.number(let left), .number(let right)): left < right
        case (.number, _): true
        default: false
        }
    }

    /// A line that cannot be tied to a request fails every request in flight: the server's
    /// answer to them is what went wrong. With nothing in flight it is only counted.
    func failInFlight(_ failure: Failure, at instant: Duration, bytes: Int = 0) {
        let inFlight = Array(slots.keys)
        let arrival = Arrival(answer: .failed(failure), at: instant, bytes: bytes)
        let adoptedFailed = adopted.deliverToAll(arrival)
        guard !inFlight.isEmpty || adoptedFailed else {
            traffic.invalidMessages += 1
            return
        }
        for id in inFlight { deliver(arrival, to: id) }
    }

    /// The server never waits on us: ping gets its empty result, anything else "method not found".
    /// Written before the next message is read: answers are small, and a server blocked on
    /// its own request (roots/list during a tool call) is waiting for exactly this.
    func answerServerRequest(id: JSONRPCID, method: String) async {
        let answer =
            method == "ping"
            ? JSONRPCEncoder.result(id: id, .object([:]))
            : JSONRPCEncoder.error(
                id: id, code: JSONRPCErrorCode.methodNotFound, message: "mcpload does not offer \(method)")
        _ = await sendOnly(answer)
    }

    func close(_ reason: String) {
        guard closedReason == nil else { return }
        closedReason = reason
        let failure = Failure(.transport, "server closed the connection: \(reason)")
        let arrival = Arrival(answer: .failed(failure), at: clock.now, bytes: 0)
        for id in slots.keys { deliver(arrival, to: id) }
        _ = adopted.deliverToAll(arrival)
    }
}

extension JSONRPCClient {
    /// What the line of a JSON answer says about request `id`, for a request the engine's
    /// event-loop lane sent: its answer (a line that is not JSON-RPC fails it, as the reader
    /// fails the requests in flight), or nil when the line is some other message, which the
    /// lane then hands to the session's reader.
    package nonisolated func answer(to id: JSONRPCID, in line: [UInt8]) -> JSONRPCAnswer? {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.parse(line, redactor: redactor)
        } catch {
            return .failed(error)
        }
        switch message {
        case .response(id, let result): return .result(result)
        case .errorResponse(id, let code, let text, let data): return .error(code: code, message: text, data: data)
        default: return nil
        }
    }
}
