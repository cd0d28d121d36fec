import MCPLoadCore

/// The timeline in three lines of the terminal summary: req/s, errors and p99 as sparklines,
/// at most ``maximumColumns`` wide (long runs put several seconds in a column).
package enum TimelineSparkline {
    package static let maximumColumns = 60
    private static let levels = Array("▁▂▃▄▅▆▇█")

    package static func render(_ timeline: Timeline) -> [String] {
        let seconds = timeline.seconds
        guard seconds.count >= 2 else { return [] }
        let perColumn = (seconds.count + maximumColumns - 1) / maximumColumns
        let columns = stride(from: 0, to: seconds.count, by: perColumn).map {
            Array(seconds[$0..<min($0 + perColumn, seconds.count)])
        }
        let rates = columns.map { column in
            Double(column.reduce(0) { $0 + $1.requests }) / Double(column.reduce(0) { $0 + $1.span })
        }
        let errors = columns.map { Double($0.reduce(0) { $0 + $1.failureCount }) }
        let p99s = columns.map { column in column.compactMap { $0.latencyMicroseconds(atPercentile: 99) }.max() }
        let columnSeconds = perColumn * (seconds.first?.span ?? 1)
        let unit = columnSeconds == 1 ? "1 column = 1 s" : "1 column = \(columnSeconds) s"
        let covered = seconds.reduce(0) { $0 + $1.span }
        let maxRate = rates.max() ?? 0
        let maxP99 = p99s.compactMap { $0 }.max()
        return [
            "timeline (\(covered) s, \(unit)):",
            "  req/s   \(line(rates))  max \(DurationText.rounded(maxRate, places: 1))/s",
            "  errors  \(line(errors, zero: "·"))  \(UInt64(clampingDouble: errors.reduce(0, +))) in all",
            "  p99     \(line(p99s.map { $0 ?? 0 }, zero: " "))  max "
                + (maxP99.map { "≤" + DurationText.formatMicroseconds($0) } ?? "-"),
        ]
    }

    /// One character per value, scaled to the largest; `zero` marks an exact zero.
    static func line(_ values: [Double], zero: Character? = nil) -> String {
        let top = values.max() ?? 0
        return String(
            values.map { value -> Character in
                if value <= 0, let zero { return zero }
                guard top > 0 else { return levels[0] }
                let index = Int((value / top * Double(levels.count - 1)).rounded())
                return levels[min(max(index, 0), levels.count - 1)]
            })
    }
}
