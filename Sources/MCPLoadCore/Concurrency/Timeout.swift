/// Runs `body` for at most `limit` of `clock`'s time: its value, or nil when the time ran out
/// first. Either way the other is cancelled and awaited, so `body` must end when cancelled.
package func withTimeout<Value: Sendable>(
    _ limit: Duration, clock: any EngineClock = RunClock(), _ body: @escaping @Sendable () async -> Value
) async -> Value? {
    await withTaskGroup(of: Value?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await clock.sleep(for: limit)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
