import MCPLoadCore
import MCPLoadJSONRPC

/// The JSON-RPC 2.0 client core of one session: unique ids, responses matched by id,
/// per-request timeouts, answers to the server's own requests, notifications counted.
///
/// One instance per session; its ``run()`` loop must be running for requests to complete.
package actor JSONRPCClient {
    let transport: any MessageTransport
    /// The run's clock: latencies and request deadlines are read from it.
    let clock: any EngineClock
    /// The session's request ids, shared with the engine's event-loop lane.
    package nonisolated let ids = RequestIDs()
    /// Requests the lane sent on this session: their answers, if they come through the
    /// reader, go to the lane.
    package nonisolated let adopted = AdoptedRequests()
    /// The requests in flight, each with where its arrival goes; an arrival removes its slot.
    var slots: [JSONRPCID: OneShot<Arrival>] = [:]
    /// Set once the server's side has ended; later requests are not sent.
    var closedReason: String?
    var envelope: [String: JSONValue]?
    /// Requests whose bytes are still being written.
    var writing: Set<JSONRPCID> = []
    /// Ids raw lines were sent with (numbered requests are ``ids``): what makes an answer
    /// "ours". Bounded: past the limit every id counts as possibly ours.
    var rawIDs: Set<JSONRPCID> = []
    static let rawIDLimit = 1024
    /// Notifications, server requests and stray messages seen so far.
    package internal(set) var traffic = ProtocolStatistics()
    /// When requests in flight give up, watched by one task beside ``run()``'s reading.
    var deadlines = RequestDeadlines()
    /// Wakes the deadline watcher for the session's first request.
    let firstRequest = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    package struct Arrival: Sendable {
        package var answer: JSONRPCAnswer
        package var at: Duration
        package var bytes: Int

        package init(answer: JSONRPCAnswer, at: Duration, bytes: Int) {
            self.answer = answer
            self.at = at
            self.bytes = bytes
        }
    }

    /// Hides the run's secrets in what failure messages quote of the server's lines.
    let redactor: Redactor

    package init(transport: any MessageTransport, redactor: Redactor = .none, clock: any EngineClock = RunClock()) {
        self.transport = transport
        self.redactor = redactor
        self.clock = clock
    }

    /// Tells the transport which protocol version the handshake agreed on (nil: none yet).
    package func sessionEstablished(protocolVersion: String?) async {
        await transport.sessionEstablished(protocolVersion: protocolVersion)
    }

    /// `_meta` members merged into every request's and notification's params from now on
    /// (the 2026-07-28 revision's per-request envelope); nil stops it.
    package func useEnvelope(_ meta: [String: JSONValue]?) {
        envelope = meta
    }

    func enveloped(_ params: JSONValue?) -> JSONValue? {
        guard let envelope else { return params }
        var members = params?.objectValue ?? [:]
        let existing = members["_meta"]?.objectValue ?? [:]
        members["_meta"] = .object(existing.merging(envelope) { own, _ in own })
        return .object(members)
    }

    /// Whether the server's side has ended, and why.
    package var closure: String? { closedReason }

    // MARK: Sending

    /// Sends a request and waits for its answer, at most `timeout`.
    package func request(_ method: String, params: JSONValue?, timeout: Duration) async -> JSONRPCReply {
        let id = ids.take()
        return await exchange(
            id: id, message: JSONRPCEncoder.request(id: id, method: method, params: enveloped(params)), timeout: timeout
        )
    }

    /// Sends a request whose params were encoded before; with an envelope to merge in, they
    /// are encoded again with it.
    package func request(_ method: String, encoded params: EncodedParams, timeout: Duration) async -> JSONRPCReply {
        guard envelope == nil else { return await request(method, params: params.value, timeout: timeout) }
        let id = ids.take()
        return await exchange(
            id: id, message: JSONRPCEncoder.request(id: id, method: method, encoded: params), timeout: timeout)
    }

    /// Whether requests carry a `_meta` envelope (``useEnvelope(_:)``).
    package var usesEnvelope: Bool { envelope != nil }

    /// Sends any text as one line. When `awaiting` is set, waits for the answer with that id
    /// (`.null` for the answer to a line the server cannot parse).
    package func sendRaw(_ text: String, awaiting id: JSONRPCID?, timeout: Duration) async -> JSONRPCReply {
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
    package func notify(_ method: String, params: JSONValue?) async -> Result<Int, Failure> {
        let message = JSONRPCEncoder.notification(method: method, params: enveloped(params))
        if let failure = await sendOnly(message) { return .failure(failure) }
        return .success(message.count + 1)
    }

    func sendOnly(_ message: [UInt8]) async -> Failure? {
        if let closedReason { return Failure(.notSent, "connection closed: \(closedReason)") }
        return await write(message, awaiting: nil)
    }

    func write(_ message: [UInt8], awaiting id: JSONRPCID?) async -> Failure? {
        do {
            try await transport.send(message, awaiting: id)
            return nil
        } catch {
            return error
        }
    }

    func exchange(id: JSONRPCID, message: [UInt8], timeout: Duration) async -> JSONRPCReply {
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
        // The exchange runs in a child task beside the wait. Awaited in the request's own
        // task it would save that task, but the whole HTTP call chain's frames would then stay
        // in every client's task allocator between requests (+10 KiB per session at 1,000
        // sessions, `scripts/bench-scale`); HTTP's hot path is the event-loop lane's anyway.
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

    func writeRequest(_ message: [UInt8], id: JSONRPCID) async {
        let answer: [UInt8]?
        do {
            answer = try await transport.exchange(message, awaiting: id)
        } catch {
            writing.remove(id)
            deliver(Arrival(answer: .failed(error), at: clock.now, bytes: 0), to: id)
            return
        }
        writing.remove(id)
        // The transport had the answer in hand (a JSON POST answer): settled here, without
        // waking the session's reader. Its stream is over: no answer in it is no answer at all.
        guard let answer else { return }
        let arrived = clock.now
        await handle(answer, at: arrived)
        guard slots[id] != nil else { return }
        let failure = Failure(.transport, "the response stream ended before the answer")
        deliver(Arrival(answer: .failed(failure), at: arrived, bytes: 0), to: id)
    }

    func expire(_ id: JSONRPCID, after timeout: Duration) async {
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
    func watchDeadlines() async {
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
    func deliver(_ arrival: Arrival, to id: JSONRPCID) -> Bool {
        guard let slot = slots.removeValue(forKey: id) else { return false }
        return slot.complete(arrival)
    }
}
