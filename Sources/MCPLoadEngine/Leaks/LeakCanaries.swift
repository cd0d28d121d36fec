import MCPLoadCore

/// The run's per-client canaries: `mcpl-canary-` and 16 random hex digits each, so whichever
/// session one turns up in, its owner is known.
struct LeakCanaries: Sendable {
    private let values: [String]
    private let owners: [String: Int]

    init(clients: Int) {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<max(clients, 1)).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return LeakCanary.prefix + String(repeating: "0", count: 16 - hex.count) + hex
        }
        self.values = values
        owners = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0 + 1) })
    }

    /// Client `index`'s canary (1-based, as `{{vu}}`); empty for the run's own sessions (index 0).
    func canary(of index: Int) -> String {
        values.indices.contains(index - 1) ? values[index - 1] : ""
    }

    /// Whose canary `value` is; nil for a value this run did not plant.
    func owner(of value: String) -> Int? { owners[value] }
}
