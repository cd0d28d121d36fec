import AsyncHTTPClient
import MCPLoadCore
import NIOCore

/// Reads the server's own count of the sessions it holds (`target.sessionCount`, a Prometheus
/// metric on an HTTP page) once a second beside the run, and once more after it: a server
/// that keeps sessions after their DELETE, or never expires those it was not told to end,
/// shows it here directly.
enum SessionCountScraper {
    static let interval = Duration.seconds(1)
    /// A metrics page is small; a server that sends more is not read past this.
    static let pageLimit = 4 << 20
    static let readTimeout = Duration.seconds(2)

    /// Runs `body` with the scraper beside it; nil without a source.
    static func watching<Value: Sendable>(
        _ source: SessionCountSource?, live: LiveCounters, clock: any EngineClock,
        _ body: @Sendable () async -> Value
    ) async -> (Value, ServerSessionCount?) {
        guard let source else { return (await body(), nil) }
        let (value, scraped) = await withTaskGroup(
            of: ServerSessionCountTracker?.self, returning: (Value, ServerSessionCountTracker?).self
        ) { group in
            group.addTask { await scrape(source, live: live, clock: clock) }
            let value = await body()
            group.cancelAll()
            var tracker: ServerSessionCountTracker?
            for await finished in group { tracker = finished ?? tracker }
            return (value, tracker)
        }
        // The last reading, once every session has been closed: what the server kept.
        var tracker = scraped ?? ServerSessionCountTracker(metric: source.metric)
        await read(source, into: &tracker, sessionsClosed: live.closedSessions)
        return (value, tracker.summary)
    }

    private static func scrape(
        _ source: SessionCountSource, live: LiveCounters, clock: any EngineClock
    ) async -> ServerSessionCountTracker {
        var tracker = ServerSessionCountTracker(metric: source.metric)
        var next = clock.now
        while true {
            await read(source, into: &tracker, sessionsClosed: live.closedSessions)
            next += interval
            do {
                try await clock.sleep(until: max(next, clock.now))
            } catch {
                return tracker
            }
        }
    }

    private static func read(
        _ source: SessionCountSource, into tracker: inout ServerSessionCountTracker, sessionsClosed: UInt64
    ) async {
        let reading = await fetch(source)
        // A read the run's end cut short says nothing about the server.
        guard !Task.isCancelled else { return }
        switch reading {
        case .success(let sessions): tracker.record(sessions, sessionsClosed: sessionsClosed)
        case .failure(let failure): tracker.recordFailure(failure.reason)
        }
    }

    struct ReadFailure: Error {
        var reason: String
    }

    static func fetch(_ source: SessionCountSource) async -> Result<Double, ReadFailure> {
        let page: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: source.url), timeout: .nanoseconds(readTimeout.nanoseconds))
            guard response.status == .ok else {
                return .failure(ReadFailure(reason: "the metrics page answered HTTP \(response.status.code)"))
            }
            page = try await response.body.collect(upTo: pageLimit)
        } catch {
            return .failure(ReadFailure(reason: "the metrics page could not be read: \(error)"))
        }
        switch PrometheusText.read(source.metric, in: page.readableBytesView) {
        case .value(let sessions): return .success(sessions)
        case .missing: return .failure(ReadFailure(reason: "the metrics page has no \(source.metric)"))
        case .unreadable(let line):
            return .failure(ReadFailure(reason: "\(source.metric) on line \(line) of the metrics page is not a number"))
        }
    }
}
