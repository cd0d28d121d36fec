import MCPLoadCore

/// The run's per-client canaries: `mcpl-canary-`, then 8 hex digits naming the run and 8 the
/// client (its `{{vu}}`), so whichever session one turns up in, its owner is known, in every
/// shard of a sharded run: the shards share the run's part, and a canary that one shard
/// planted and another was answered counts as cross-session there.
struct LeakCanaries: Sendable {
    /// The run's 32 bits: random for a whole run; for a shard, the same in every shard.
    private let run: UInt32
    /// This process's clients are `{{vu}}` offset + 1 … offset + count.
    private let offset: Int
    private let count: Int

    init(clients: Int, shard: ShardAssignment? = nil, scenarioName: String = "") {
        count = max(clients, 1)
        offset = shard?.virtualClientOffset ?? 0
        if let shard {
            run = Self.runTag(of: "\(scenarioName)/\(shard.shard.count)/\(shard.totalVirtualClients)")
        } else {
            var generator = SystemRandomNumberGenerator()
            run = generator.next()
        }
    }

    /// Client `index`'s canary (1-based); empty for the run's own sessions (index 0).
    func canary(of index: Int) -> String {
        guard (1...count).contains(index) else { return "" }
        return Self.value(run: run, virtualClient: offset + index)
    }

    /// Whose canary `value` is, as `{{vu}}`: a client of this process or of another shard of
    /// the run; nil for a value this run did not plant.
    func owner(of value: String) -> Int? {
        let digits = value.utf8.dropFirst(LeakCanary.prefix.utf8.count)
        guard value.hasPrefix(LeakCanary.prefix), digits.count == 16,
            let tag = UInt32(String(decoding: digits.prefix(8), as: UTF8.self), radix: 16), tag == run,
            let client = UInt32(String(decoding: digits.suffix(8), as: UTF8.self), radix: 16), client > 0
        else { return nil }
        return Int(client)
    }

    static func value(run: UInt32, virtualClient: Int) -> String {
        LeakCanary.prefix + hex8(run) + hex8(UInt32(truncatingIfNeeded: virtualClient))
    }

    private static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// FNV-1a over what every shard of one run knows alike: the scenario and the split.
    private static func runTag(of text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }
}
