import Foundation
import MCPLoadCore
import MCPLoadEngine
import MCPLoadReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints the live progress line until cancelled: rewritten in place on a terminal, a plain
/// line every few seconds otherwise (CI logs stay readable).
enum ProgressPrinter {
    static func run(_ live: LiveCounters, clients: Int, total: Duration?) async {
        let terminal = isatty(STDOUT_FILENO) == 1
        let interval = intervalOverride ?? (terminal ? .milliseconds(500) : .seconds(5))
        let clock = ContinuousClock()
        let started = clock.now
        var previous = (at: started, requests: UInt64(0))
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                break
            }
            let now = clock.now
            let snapshot = live.snapshot()
            let seconds = (now - previous.at).seconds
            let line = ProgressLine.render(
                elapsed: (now - started).seconds, total: total?.seconds, clients: clients,
                requests: snapshot.requests, failures: snapshot.failures,
                recentRate: seconds > 0 ? Double(snapshot.requests - previous.requests) / seconds : 0,
                p99Micros: snapshot.p99)
            previous = (now, snapshot.requests)
            write(terminal ? "\r\u{1B}[2K" + line : line + "\n")
        }
        // The summary follows: leave no half-overwritten line behind.
        if terminal { write("\r\u{1B}[2K") }
    }

    /// `MCPLOAD_PROGRESS_INTERVAL=500ms`: how often to print, for tests and slow CI logs.
    private static var intervalOverride: Duration? {
        ProcessInfo.processInfo.environment["MCPLOAD_PROGRESS_INTERVAL"].flatMap(DurationText.parse)
    }

    /// Through the same buffered stream as `print`, flushed, so lines keep their order.
    private static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }
}
