import MCPLoadCore

/// Requests and session breaks per replica, when the target names the replica that answered.
enum ReplicaSummary {
    static func render(_ result: RunResult) -> [String] {
        guard let tally = result.replicas, !tally.isEmpty else { return [] }
        var table = TextTable(header: ["replica", "requests", "share", "session breaks"])
        let total = max(tally.byReplica.values.reduce(UInt64(0)) { $0 + $1.requests }, 1)
        for (name, count) in tally.sorted {
            table.rows.append([
                name, "\(count.requests)", TerminalSummary.percent(Double(count.requests) / Double(total)),
                "\(count.sessionBreaks)",
            ])
        }
        return ["", "replicas (who answered):", table.render()]
    }
}
