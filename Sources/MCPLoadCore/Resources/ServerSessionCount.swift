/// Where a server says how many sessions it holds: a Prometheus metric on an HTTP page
/// (`target.sessionCount: { url: …, metric: … }`); a url written as a path is on the MCP
/// endpoint's own origin, so it works for a server whose port is known only once it runs.
package struct SessionCountSource: Sendable, Hashable {
    package var url: String
    package var metric: String

    package init(url: String, metric: String) {
        self.url = url
        self.metric = metric
    }

    /// The page's URL, a path (`/metrics`) taken as one on the MCP endpoint's origin.
    package func resolved(against endpoint: String) -> SessionCountSource {
        guard url.hasPrefix("/"), let origin = Self.origin(of: endpoint) else { return self }
        return SessionCountSource(url: origin + url, metric: metric)
    }

    /// `http://host:port` of `url`: where a metrics page written as a path lives.
    package static func origin(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        return String(url[..<scheme.upperBound]) + authority
    }

    /// Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    package static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: ":"):
                true
            default: false
            }
        }
    }
}

/// What the server said about its own sessions over the run, read once a second: the figure
/// that shows sessions kept after their DELETE (or never deleted, and never expired) directly,
/// where memory shows them only by their size.
package struct ServerSessionCount: Sendable, Equatable, Codable {
    package var metric: String
    /// Pages read and understood, and those that failed (unreachable, not 200, no such metric).
    package var readings: Int = 0
    package var failedReadings: Int = 0
    /// Why the first failed reading failed: the page gave no figure, so the figures below may
    /// be missing.
    package var firstFailure: String?
    package var peak: Double?
    /// The last reading, at the run's end.
    package var last: Double?
    /// Sessions the server still held per 1,000 sessions mcpload closed: the slope of a line
    /// fitted over the run. A server that frees what is closed stays near 0; one that keeps
    /// every session, near 1,000.
    package var heldPerThousandClosed: Double?

    package init(metric: String) {
        self.metric = metric
    }
}

/// Folds readings of a server's session count into ``ServerSessionCount``: a value the
/// scraper owns and tests feed directly.
package struct ServerSessionCountTracker: Sendable {
    private var count: ServerSessionCount
    private var heldPerClosed = LinearFit()
    private var sessionsClosed: UInt64 = 0

    package init(metric: String) {
        count = ServerSessionCount(metric: metric)
    }

    /// One reading: the server's count when mcpload had closed `sessionsClosed` sessions.
    package mutating func record(_ sessions: Double, sessionsClosed: UInt64) {
        count.readings += 1
        count.peak = max(count.peak ?? sessions, sessions)
        count.last = sessions
        heldPerClosed.add(x: Double(sessionsClosed), y: sessions)
        self.sessionsClosed = sessionsClosed
    }

    package mutating func recordFailure(_ reason: String) {
        count.failedReadings += 1
        if count.firstFailure == nil { count.firstFailure = reason }
    }

    package var summary: ServerSessionCount {
        var summary = count
        // As with memory: too few sessions closed make no line worth reading.
        if sessionsClosed >= ServerResources.churnMinimum, let slope = heldPerClosed.slope {
            summary.heldPerThousandClosed = slope * 1000
        }
        return summary
    }
}
