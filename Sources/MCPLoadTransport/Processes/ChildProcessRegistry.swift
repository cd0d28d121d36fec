import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every server process mcpload has running, so that an immediate exit (a second Ctrl-C) can
/// still kill them all: no orphan survives mcpload on any path.
///
/// Touched twice per process (spawn and reap), never per request.
public enum ChildProcessRegistry {
    private static let live = Mutex<Set<Int32>>([])

    static func register(_ pid: Int32) {
        live.withLock { _ = $0.insert(pid) }
        ProcessGuardian.started(pid)
    }

    static func unregister(_ pid: Int32) {
        live.withLock { _ = $0.remove(pid) }
        ProcessGuardian.stopped(pid)
    }

    /// The processes currently running.
    public static var processIdentifiers: Set<Int32> {
        live.withLock { $0 }
    }

    /// Sends SIGKILL to every registered process and its process group (each server leads its
    /// own group, so wrappers like `npx` or `sh -c` take their children with them).
    public static func killAll() {
        for pid in processIdentifiers {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
    }
}
