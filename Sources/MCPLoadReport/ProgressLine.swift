import MCPLoadCore

/// The one-line view of a run under way: `  3.0s/10.0s  20 clients  2345.6 req/s  12 errors  p99 6.1ms`.
package enum ProgressLine {
    /// - Parameters:
    ///   - requests, failures: totals so far; `recentRate`: requests per second over the last interval.
    ///   - p99Micros: the 99th percentile of successes so far, approximate; nil before any.
    package static func render(
        elapsed: Double, total: Double?, clients: Int, requests: UInt64, failures: UInt64, recentRate: Double,
        p99Micros: Double?
    ) -> String {
        let time =
            total.map { "\(DurationText.rounded(elapsed, places: 1))s/\(DurationText.rounded($0, places: 1))s" }
            ?? "\(DurationText.rounded(elapsed, places: 1))s"
        let p99 = p99Micros.map { "p99 ≤\(DurationText.formatMicroseconds($0))" } ?? "p99 -"
        return "  \(time)  \(clients) clients  \(DurationText.rounded(recentRate, places: 1)) req/s  "
            + "\(requests) requests  \(failures) \(failures == 1 ? "error" : "errors")  \(p99)"
    }
}
