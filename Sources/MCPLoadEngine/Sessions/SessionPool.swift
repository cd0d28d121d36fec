import MCPLoadCore
import MCPLoadTransport

/// The `pool: N` strategy: N sessions opened once for the run and shared by every client.
///
/// Each session is a scope nested in the previous one's, so all of them stay open while the
/// clients run and all of them close, in reverse order, on every path out.
enum SessionPool {
    /// Opens up to `size` sessions, runs `body` with the clients of those that opened, and
    /// returns its value with the pool's own measurements (session setup, traffic).
    static func withSessions<Value: Sendable>(
        size: Int, plan: RunPlan, connector: SessionConnector,
        _ body: @escaping @Sendable ([JSONRPCClient]) async -> Value
    ) async -> (Value, RunMeasurements) {
        let recorder = plan.makeRecorder(virtualClient: 0)
        let (value, pool) = await open(
            remaining: size, opened: [], recorder: recorder, plan: plan, connector: connector, body)
        var measurements = RunMeasurements()
        measurements.sessions = pool.session
        measurements.protocolTraffic = pool.protocolTraffic
        return (value, measurements)
    }

    private static func open<Value: Sendable>(
        remaining: Int, opened: [JSONRPCClient], recorder: Recorder, plan: RunPlan, connector: SessionConnector,
        _ body: @escaping @Sendable ([JSONRPCClient]) async -> Value
    ) async -> (Value, Recorder) {
        guard remaining > 0 else { return (await body(opened), recorder) }
        let clock = plan.clock
        let started = clock.now
        do {
            // Pooled session k carries the identity of client k.
            let ((value, next), _) = try await connector.withSession(for: opened.count + 1) { transport in
                let client = JSONRPCClient(transport: transport, redactor: plan.redactor, clock: plan.clock)
                return await withTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    var recorder = recorder
                    let handshake = SessionHandshake(
                        scenario: plan.scenario, context: TemplateContext(virtualClient: 0, iteration: 1))
                    let outcome = await handshake.perform(
                        on: client, timeout: plan.scenario.session.setupTimeout, clock: clock)
                    let value: Value
                    switch outcome {
                    case .success(let established):
                        recorder.recordSessionOpened(
                            setup: clock.now - started, protocolVersion: established.protocolVersion)
                        plan.live.sessionOpened()
                        defer { plan.live.sessionClosed() }
                        (value, recorder) = await open(
                            remaining: remaining - 1, opened: opened + [client], recorder: recorder, plan: plan,
                            connector: connector, body)
                        recorder.session.closed += 1
                    case .failure(let failure):
                        recorder.recordSessionFailed(failure)
                        (value, recorder) = await open(
                            remaining: remaining - 1, opened: opened, recorder: recorder, plan: plan,
                            connector: connector, body)
                    }
                    recorder.protocolTraffic.merge(await client.traffic)
                    group.cancelAll()
                    return (value, recorder)
                }
            }
            return (value, next)
        } catch {
            var recorder = recorder
            recorder.recordSessionFailed((error as? Failure) ?? Failure(.notSent, "cannot open a session: \(error)"))
            return await open(
                remaining: remaining - 1, opened: opened, recorder: recorder, plan: plan, connector: connector, body)
        }
    }
}
