import Dispatch
import Foundation
import MCPLoadEngine
import MCPLoadTransport
import Synchronization

/// Ctrl-C (or SIGTERM) during a run: the first drains and lets results be written; the second
/// exits at once, after killing every server process still running.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(control: RunControl) {
        let interrupts = InterruptCounter()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            // Dispatch delivers the signal on a queue; the default action must be off first.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // Dispatch coalesces signals that arrive together: `data` says how many there were.
                if interrupts.add(Int(source.data)) == 1 {
                    control.drain()
                    FileHandle.standardError.write(
                        Data("\nmcpload: draining: finishing in-flight iterations (Ctrl-C again to stop now)\n".utf8))
                } else {
                    ChildProcessRegistry.killAll()
                    FileHandle.standardError.write(Data("\nmcpload: stopped; server processes killed\n".utf8))
                    exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Counts interrupts across signal deliveries.
private final class InterruptCounter: Sendable {
    private let count = Mutex(0)

    func add(_ signals: Int) -> Int {
        count.withLock { value in
            value += max(1, signals)
            return value
        }
    }
}
