/// Runs `body` for at most `limit` of `clock`'s time: its value, or nil when the time ran out
/// first, in which case `body` is cancelled and awaited before this returns.
public func withTimeout<Value: Sendable, C: Clock>(
    _ limit: C.Duration, clock: C, _ body: @escaping @Sendable () async -> Value
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

/// ``withTimeout(_:clock:_:)`` on the continuous clock.
public func withTimeout<Value: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async -> Value
) async -> Value? {
    await withTimeout(limit, clock: ContinuousClock(), body)
}
