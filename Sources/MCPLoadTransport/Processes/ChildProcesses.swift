import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server processes one run has started: those running, so that an immediate exit (a
/// second Ctrl-C) can still kill them all and the sampler can read their memory and CPU; and
/// the most recent ones it started, so the run (or a test) can check that none outlived it.
///
/// One per run, not one per program: runs side by side (tests, a matrix) see only their own.
/// Touched twice per process (spawn and reap), never per request.
package final class ChildProcesses: Sendable {
    /// How many started processes are remembered for ``survivors()``: enough for any test and
    /// for the last seconds of a churning run, and bounded on a run of millions of sessions.
    static let rememberedLaunches = 4_096

    private struct Books {
        var running: Set<Int32> = []
        /// Servers started elsewhere (`--server-pid`): sampled, never signalled.
        var watched: Set<Int32> = []
        var launched: [Int32] = []
        var nextSlot = 0
    }

    private let books = Mutex(Books())

    package init() {}

    func register(_ pid: Int32) {
        books.withLock { books in
            books.running.insert(pid)
            if books.launched.count < Self.rememberedLaunches {
                books.launched.append(pid)
            } else {
                books.launched[books.nextSlot] = pid
                books.nextSlot = (books.nextSlot + 1) % Self.rememberedLaunches
            }
        }
        ProcessGuardian.started(pid)
    }

    func unregister(_ pid: Int32) {
        books.withLock { _ = $0.running.remove(pid) }
        ProcessGuardian.stopped(pid)
    }

    /// The processes running now.
    package var running: Set<Int32> {
        books.withLock { $0.running }
    }

    /// Samples a server mcpload did not start (its memory and CPU), without ever signalling it.
    package func watch(_ pid: Int32) {
        books.withLock { _ = $0.watched.insert(pid) }
    }

    /// Every server process whose memory and CPU the run samples: its own and the watched ones.
    package var sampled: Set<Int32> {
        books.withLock { $0.running.union($0.watched) }
    }

    /// Processes this run started (the last 4,096) that are still alive: none, once the run
    /// is over. A zombie has exited and counts as gone.
    package func survivors() -> [Int32] {
        books.withLock { $0.launched }.filter(ProcessTree.isRunning)
    }

    /// Sends SIGKILL to every running process and its process group (each server leads its
    /// own group, so wrappers like `npx` or `sh -c` take their children with them).
    package func killAll() {
        for pid in running {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
    }
}
