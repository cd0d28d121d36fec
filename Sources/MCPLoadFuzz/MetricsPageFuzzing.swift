import MCPLoadCore

/// A server's metrics page (what `target.sessionCount` reads): any bytes give a sum, no such
/// metric, or the line that is not a number; never a trap, and never a number that is not
/// finite.
enum MetricsPageFuzzing {
    static func run(_ bytes: [UInt8]) {
        // The first byte picks the metric asked for, so that names with and without labels,
        // and prefixes of longer names, are all explored.
        let names = ["m", "mcp_sessions_active", "a:b", "_"]
        let metric = names[Int(bytes.first ?? 0) % names.count]
        switch PrometheusText.read(metric, in: bytes.dropFirst()) {
        case .value(let sum): precondition(sum.isFinite, "a sum that is not a finite number")
        case .missing: break
        case .unreadable(let line): precondition(line >= 1, "an unreadable line before the first")
        }
    }
}
