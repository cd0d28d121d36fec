/// `--shard I/N`: this process runs part I (1 to N) of a load split over N machines. The split
/// is deterministic, so N processes started anywhere with the same scenario add up to the
/// scenario's load exactly, and `mcpload merge` adds their results up exactly.
package struct Shard: Sendable, Hashable, Codable {
    /// 1-based, as written: `--shard 2/3`.
    package let index: Int
    package let count: Int

    /// Beyond this, a shard's share of any realistic load is nothing.
    package static let maximumCount = 10_000

    package init?(index: Int, count: Int) {
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// `2/3`.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// What a Kubernetes Indexed Job gives each pod: `JOB_COMPLETION_INDEX` (0-based) and, from
    /// the manifest, `MCPLOAD_SHARDS`. Nil when neither is set; an error when they do not fit.
    package static func fromEnvironment(_ environment: [String: String]) throws(ShardError) -> Shard? {
        let index = environment["JOB_COMPLETION_INDEX"]
        let count = environment["MCPLOAD_SHARDS"]
        guard index != nil || count != nil else { return nil }
        guard let indexText = index, let countText = count else {
            throw ShardError("JOB_COMPLETION_INDEX and MCPLOAD_SHARDS go together; only one is set")
        }
        guard let zeroBased = Int(indexText), let total = Int(countText), zeroBased < Int.max,
            let shard = Shard(index: zeroBased + 1, count: total)
        else {
            throw ShardError(
                "JOB_COMPLETION_INDEX=\(indexText) and MCPLOAD_SHARDS=\(countText) are not a shard (0 ≤ index < shards ≤ \(maximumCount))"
            )
        }
        return shard
    }

    /// This shard's part of `total` things (clients, sessions): the quotient, and one more for
    /// each of the first `total mod count` shards; `offset` is how many the shards before it have.
    package func share(of total: Int) -> (offset: Int, count: Int) {
        let quotient = total / count
        let remainder = total % count
        let before = index - 1
        return (before * quotient + min(before, remainder), quotient + (before < remainder ? 1 : 0))
    }

    package var description: String { "\(index)/\(count)" }
}

/// Why a scenario cannot be split as asked.
package struct ShardError: Error, Equatable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
