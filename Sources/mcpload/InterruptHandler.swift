import Dispatch
import Foundation
import MCPLoadEngine
import MCPLoadTransport
import Synchronization

/// Ctrl-C (or SIGTERM, SIGHUP, SIGQUIT) during a run: the first drains and lets results be
/// written; the second exits at once, after killing every server process still running. A
/// closed terminal (SIGHUP) or a quit key (SIGQUIT) must not lose a run's results either.
///
/// One handler serves a sequence of runs (a transport comparison): ``watch(_:)`` points it at
/// the run under way, and a drained comparison starts no further run.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]
    private let state = InterruptState()

    init() {
        let state = self.state
        sources = [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { signalNumber in
            // Dispatch delivers the signal on a queue; the default action must be off first.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // Dispatch coalesces signals that arrive together: `data` says how many there were.
                if let control = state.interrupt(count: Int(source.data)) {
                    control?.drain()
                    FileHandle.standardError.write(
                        Data("\nmcpload: draining: finishing in-flight iterations (Ctrl-C again to stop now)\n".utf8))
                } else {
                    state.watchedRun?.children.killAll()
                    FileHandle.standardError.write(Data("\nmcpload: stopped; server processes killed\n".utf8))
                    exit(128 + signalNumber)
                }
            }
            source.resume()
            return source
        }
    }

    /// Directs the first interrupt at this run; drains it at once if one already came.
    func watch(_ control: RunControl) {
        if state.watch(control) { control.drain() }
    }

    /// Whether an interrupt has come: the user wants no further runs.
    var wasInterrupted: Bool { state.interrupted }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// What the signal handler and the runs share.
private final class InterruptState: Sendable {
    private struct Counts {
        var interrupts = 0
        var control: RunControl?
    }

    private let counts = Mutex(Counts())

    /// Records interrupts; returns the run to drain on the first (wrapped, possibly nil), nil on a later one.
    func interrupt(count: Int) -> RunControl?? {
        counts.withLock { counts in
            counts.interrupts += max(1, count)
            return counts.interrupts == 1 ? .some(counts.control) : nil
        }
    }

    /// Sets the run under way; true when an interrupt already came.
    func watch(_ control: RunControl) -> Bool {
        counts.withLock { counts in
            counts.control = control
            return counts.interrupts > 0
        }
    }

    var interrupted: Bool { counts.withLock { $0.interrupts > 0 } }

    /// The run under way, whose servers a second interrupt kills.
    var watchedRun: RunControl? { counts.withLock { $0.control } }
}
