import MCPLoadCore
import MCPLoadJSONRPC

/// What came back for one request.
public enum JSONRPCAnswer: Sendable, Equatable {
    case result(JSONValue)
    case error(code: Int64, message: String, data: JSONValue?)
    /// No valid answer: timeout, broken transport, malformed response, never sent.
    case failed(Failure)

    public var failure: Failure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}

/// One request's answer with what it cost on the wire.
public struct JSONRPCReply: Sendable {
    public var answer: JSONRPCAnswer
    /// From just before the request was written to the moment its answer was read.
    public var latency: Duration
    public var bytesOut: Int
    public var bytesIn: Int

    public init(answer: JSONRPCAnswer, latency: Duration, bytesOut: Int, bytesIn: Int) {
        self.answer = answer
        self.latency = latency
        self.bytesOut = bytesOut
        self.bytesIn = bytesIn
    }
}

/// The JSON-RPC 2.0 client core of one session: unique ids, responses matched by id,
/// per-request timeouts, answers to the server's own requests, notifications counted.
///
/// One instance per session; its ``run()`` loop must be running for requests to complete.
public actor JSONRPCClient {
    private let transport: any MessageTransport
    /// The run's clock: latencies and request deadlines are read from it.
    private let clock: any EngineClock
    private var nextID: Int64 = 1
    /// The requests in flight, each with where its arrival goes; an arrival removes its slot.
    private var slots: [JSONRPCID: OneShot<Arrival>] = [:]
    /// Set once the server's side has ended; later requests are not sent.
    private var closedReason: String?
    private var envelope: [String: JSONValue]?
    /// Requests whose bytes are still being written.
    private var writing: Set<JSONRPCID> = []
    /// Ids raw lines were sent with (numbered requests are 1..<nextID): what makes an answer
    /// "ours". Bounded: past the limit every id counts as possibly ours.
    private var rawIDs: Set<JSONRPCID> = []
    private static let rawIDLimit = 1024
    /// Notifications, server requests and stray messages seen so far.
    public private(set) var traffic = ProtocolStatistics()
    /// When requests in flight give up, watched by one task beside ``run()``'s reading.
    private var deadlines = RequestDeadlines()
    /// Wakes the deadline watcher for the session's first request.
    private let firstRequest = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    private struct Arrival: Sendable {
        var answer: JSONRPCAnswer
        var at: Duration
        var bytes: Int
    }

    /// Hides the run's secrets in what failure messages quote of the server's lines.
    private let redactor: Redactor

    public init(transport: any MessageTransport, redactor: Redactor = .none, clock: any EngineClock = RunClock()) {
        self.transport = transport
        self.redactor = redactor
        self.clock = clock
    }

    /// Tells the transport which protocol version the handshake agreed on (nil: none yet).
    public func sessionEstablished(protocolVersion: String?) async {
        await transport.sessionEstablished(protocolVersion: protocolVersion)
    }

    /// `_meta` members merged into every request's and notification's params from now on
    /// (the 2026-07-28 revision's per-request envelope); nil stops it.
    public func useEnvelope(_ meta: [String: JSONValue]?) {
        envelope = meta
    }

    private func enveloped(_ params: JSONValue?) -> JSONValue? {
        guard let envelope else { return params }
        var members = params?.objectValue ?? [:]
        let existing = members["_meta"]?.objectValue ?? [:]
        members["_meta"] = .object(existing.merging(envelope) { own, _ in own })
        return .object(members)
    }

    /// Whether the server's side has ended, and why.
    public var closure: String? { closedReason }

    // MARK: Sending

    /// Sends a request and waits for its answer, at most `timeout`.
    public func request(_ method: String, params: JSONValue?, timeout: Duration) async -> JSONRPCReply {
        let id = JSONRPCID.number(nextID)
        nextID += 1
        return await exchange(
            id: id, message: JSONRPCEncoder.request(id: id, method: method, params: enveloped(params)), timeout: timeout
        )
    }

    /// Sends any text as one line. When `awaiting` is set, waits for the answer with that id
    /// (`.null` for the answer to a line the server cannot parse).
    public func sendRaw(_ text: String, awaiting id: JSONRPCID?, timeout: Duration) async -> JSONRPCReply {
        let message = Array(text.utf8)
        guard let id else {
            let start = clock.now
            let outcome = await sendOnly(message)
            return JSONRPCReply(
                answer: outcome.map(JSONRPCAnswer.failed) ?? .result(.null),
                latency: clock.now - start, bytesOut: message.count + 1, bytesIn: 0)
        }
        guard slots[id] == nil else {
            return JSONRPCReply(
                answer: .failed(Failure(.notSent, "id \(id) is already in flight")), latency: .zero,
                bytesOut: 0, bytesIn: 0)
        }
        if rawIDs.count <= Self.rawIDLimit { rawIDs.insert(id) }
        return await exchange(id: id, message: message, timeout: timeout)
    }

    /// Sends a notification; returns the bytes written, or the failure.
    public func notify(_ method: String, params: JSONValue?) async -> Result<Int, Failure> {
        let message = JSONRPCEncoder.notification(method: method, params: enveloped(params))
        if let failure = await sendOnly(message) { return .failure(failure) }
        return .success(message.count + 1)
    }

    private func sendOnly(_ message: [UInt8]) async -> Failure? {
        if let closedReason { return Failure(.notSent, "connection closed: \(closedReason)") }
        return await write(message, awaiting: nil)
    }

    private func write(_ message: [UInt8], awaiting id: JSONRPCID?) async -> Failure? {
        do {
            try await transport.send(message, awaiting: id)
            return nil
        } catch {
            return error
        }
    }

    private func exchange(id: JSONRPCID, message: [UInt8], timeout: Duration) async -> JSONRPCReply {
        if let closedReason {
            return JSONRPCReply(
                answer: .failed(Failure(.notSent, "connection closed: \(closedReason)")), latency: .zero,
                bytesOut: 0, bytesIn: 0)
        }
        // Registered before the write so an answer that beats the write's return is not lost.
        let arrival = OneShot<Arrival>()
        slots[id] = arrival
        writing.insert(id)
        let start = clock.now
        let watched = deadlines.add(id, .init(at: start + timeout, timeout: timeout))
        if deadlines.watcherWaitsForFirst { firstRequest.continuation.yield() }
        let arrived = await withTaskGroup(of: Void.self) { group in
            if !watched {
                // The deadline covers the write too: a server that stopped reading blocks it.
                group.addTask { [clock] in
                    try? await clock.sleep(for: timeout)
                    await self.expire(id, after: timeout)
                }
            }
            // The write runs beside the wait: an HTTP request's body streams the answer, and
            // cancelling the group cancels a request whose answer came (or timed out) already.
            group.addTask { await self.writeRequest(message, id: id) }
            let arrived = await withTaskCancellationHandler {
                await arrival.wait()
            } onCancel: { [clock] in
                // A cancelled run must not wait for answers.
                let failure = Failure(.timeout, "cancelled while waiting for the answer")
                arrival.complete(Arrival(answer: .failed(failure), at: clock.now, bytes: 0))
            }
            group.cancelAll()
            return arrived
        }
        // Gone already unless the request was cancelled: an answer after that is a stray.
        slots[id] = nil
        deadlines.remove(id)
        let sent = arrived.answer.failure?.failureClass != .notSent
        return JSONRPCReply(
            answer: arrived.answer, latency: arrived.at - start, bytesOut: sent ? message.count + 1 : 0,
            bytesIn: arrived.bytes)
    }

    private func writeRequest(_ message: [UInt8], id: JSONRPCID) async {
        let failure = await write(message, awaiting: id)
        writing.remove(id)
        if let failure { deliver(Arrival(answer: .failed(failure), at: clock.now, bytes: 0), to: id) }
    }

    private func expire(_ id: JSONRPCID, after timeout: Duration) async {
        let limit = DurationText.format(timeout)
        if writing.contains(id), !Task.isCancelled, await transport.isQueued(id) {
            let failure = Failure(
                .notSent, "still queued after \(limit) behind other messages: never reached the server")
            deliver(Arrival(answer: .failed(failure), at: clock.now, bytes: 0), to: id)
            return
        }
        let stillWriting = writing.contains(id) && transport.abortsStalledWrites
        let message =
            if Task.isCancelled {
                "cancelled while waiting for the answer"
            } else if stillWriting {
                "request not fully written within \(limit): the server stopped reading"
            } else {
                "no answer within \(limit)"
            }
        deliver(Arrival(answer: .failed(Failure(.timeout, message)), at: clock.now, bytes: 0), to: id)
        if stillWriting && !Task.isCancelled { await transport.abort() }
    }

    /// Expires the requests whose deadline passed, sleeping until the next one in between;
    /// see ``RequestDeadlines``. Runs until cancelled.
    private func watchDeadlines() async {
        deadlines.watcherStarted()
        defer { deadlines.watcherStopped() }
        var firstRequests = firstRequest.stream.makeAsyncIterator()
        while !Task.isCancelled {
            guard let wake = deadlines.sleep(from: clock.now) else {
                _ = await firstRequests.next()  // nil once cancelled
                deadlines.woke()
                continue
            }
            try? await clock.sleep(until: wake)
            deadlines.woke()
            for (id, timeout) in deadlines.takeExpired(at: clock.now) { await expire(id, after: timeout) }
        }
    }

    /// Hands an arrival to whoever waits for `id`. Returns false when nobody does.
    @discardableResult
    private func deliver(_ arrival: Arrival, to id: JSONRPCID) -> Bool {
        guard let slot = slots.removeValue(forKey: id) else { return false }
        return slot.complete(arrival)
    }

    // MARK: Receiving

    /// Method names come from the server: past a few dozen distinct ones, the rest are counted
    /// together so a server inventing names cannot grow our memory without bound.
    static let distinctMethodLimit = 64

    static func boundedKey(_ method: String, in counts: [String: UInt64]) -> String {
        counts[method] != nil || counts.count < distinctMethodLimit ? method : "(other methods)"
    }

    /// Messages handled in a row before the reader lets the session's other work onto the actor.
    static let eventsBetweenYields = 64

    /// Reads the server's messages until its side ends, and expires requests whose deadline
    /// passes. Run it beside the requests.
    public func run() async {
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

    private func receive(_ event: InboundEvent, at instant: Duration) async {
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
            deliver(Arrival(answer: .failed(failure), at: instant, bytes: 0), to: id)
        case .closed(let reason):
            close(reason)
        }
    }

    private func handle(_ line: [UInt8], at instant: Duration) async {
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

    private func settle(_ id: JSONRPCID, _ answer: JSONRPCAnswer, at instant: Duration, bytes: Int) {
        if deliver(Arrival(answer: answer, at: instant, bytes: bytes), to: id) { return }
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
    private func sentByThisSession(_ id: JSONRPCID) -> Bool {
        if case .number(let number) = id, (1..<nextID).contains(number) { return true }
        return id == .null || rawIDs.contains(id) || rawIDs.count > Self.rawIDLimit
    }

    /// Numbered requests in the order they were sent, raw lines' ids after them.
    private static func sendOrder(_ lhs: JSONRPCID, _ rhs: JSONRPCID) -> Bool {
        switch (lhs, rhs) {
        case (.number(let left), .number(let right)): left < right
        case (.number, _): true
        default: false
        }
    }

    /// A line that cannot be tied to a request fails every request in flight: the server's
    /// answer to them is what went wrong. With nothing in flight it is only counted.
    private func failInFlight(_ failure: Failure, at instant: Duration, bytes: Int = 0) {
        let inFlight = Array(slots.keys)
        guard !inFlight.isEmpty else {
            traffic.invalidMessages += 1
            return
        }
        for id in inFlight {
            deliver(Arrival(answer: .failed(failure), at: instant, bytes: bytes), to: id)
        }
    }

    /// The server never waits on us: ping gets its empty result, anything else "method not found".
    /// Written before the next message is read: answers are small, and a server blocked on
    /// its own request (roots/list during a tool call) is waiting for exactly this.
    private func answerServerRequest(id: JSONRPCID, method: String) async {
        let answer =
            method == "ping"
            ? JSONRPCEncoder.result(id: id, .object([:]))
            : JSONRPCEncoder.error(
                id: id, code: JSONRPCErrorCode.methodNotFound, message: "mcpload does not offer \(method)")
        _ = await sendOnly(answer)
    }

    private func close(_ reason: String) {
        guard closedReason == nil else { return }
        closedReason = reason
        let failure = Failure(.transport, "server closed the connection: \(reason)")
        let now = clock.now
        for id in slots.keys {
            deliver(Arrival(answer: .failed(failure), at: now, bytes: 0), to: id)
        }
    }
}
