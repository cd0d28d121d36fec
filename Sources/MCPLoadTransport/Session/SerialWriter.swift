/// Lets one writer at a time through, in arrival order.
///
/// A session writes from two places (requests from its client, answers to the server's own
/// requests from its reader); two concurrent writes to one pipe could interleave their bytes.
/// Uncontended, a turn costs one actor hop and no suspension.
actor SerialWriter {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func withTurn<T: Sendable, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }
        return try await body()
    }
}
