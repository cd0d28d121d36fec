/// How many token requests the demo's authorization server works on at once
/// (`--token-concurrency`): the rest queue, as on a token service with a small worker pool. A
/// burst then shows as it does in production: the last in the queue waits for all before it.
actor TokenEndpointCapacity {
    private let limit: Int
    private var busy = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `work` once a worker is free.
    func serve<Value: Sendable>(_ work: @Sendable () async -> Value) async -> Value {
        if busy >= limit {
            await withCheckedContinuation { queue.append($0) }
        } else {
            busy += 1
        }
        let value = await work()
        // The worker goes straight to the next in line, or becomes free.
        if queue.isEmpty {
            busy -= 1
        } else {
            queue.removeFirst().resume()
        }
        return value
    }
}
