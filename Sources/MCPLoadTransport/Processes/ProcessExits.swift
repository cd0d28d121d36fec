import Foundation

#if os(Linux)
import CMCPLoadSystem
import Glibc
#endif

/// Tells when a server process exits, whatever its pipes do: one thread waits on the pidfd of
/// every server (Linux) with epoll, and wakes the task waiting for that server.
///
/// A server's pipes usually end with it, but a process it started may hold them open for as
/// long as it lives; the exit is what says the server is gone. swift-subprocess watches the same
/// pidfds for its own purposes but offers no call that only waits; each one is duplicated here,
/// so the two never share a registration.
final class ProcessExits: Sendable {
    static let shared = ProcessExits()

    #if os(Linux)
    private let epoll: CInt
    private let waiters = Locked<[CInt: OneShot<Void>]>([:])

    private init() {
        epoll = mcpload_epoll_create()
        guard epoll >= 0 else { return }
        let thread = Thread { [epoll, waiters] in Self.watch(epoll: epoll, waiters: waiters) }
        thread.name = "mcpload-process-exits"
        thread.start()
    }

    /// Returns once the process behind `pidfd` has exited; at once when it cannot be watched
    /// (no pidfd: an old kernel), in which case the caller must not take the return as an exit.
    /// - Returns: whether the exit was seen.
    func waitForExit(pidfd: CInt) async -> Bool {
        guard epoll >= 0, pidfd >= 0 else { return false }
        let descriptor = fcntl(pidfd, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else { return false }
        let exited = OneShot<Void>()
        waiters.withLock { $0[descriptor] = exited }
        guard mcpload_epoll_watch_once(epoll, descriptor) == 0 else {
            waiters.withLock { _ = $0.removeValue(forKey: descriptor) }
            close(descriptor)
            return false
        }
        await exited.wait()
        return true
    }

    private static func watch(epoll: CInt, waiters: Locked<[CInt: OneShot<Void>]>) {
        var ready = [CInt](repeating: -1, count: 64)
        while true {
            let count = ready.withUnsafeMutableBufferPointer { mcpload_epoll_wait(epoll, $0.baseAddress, 64) }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            for index in 0..<Int(count) {
                let descriptor = ready[index]
                let waiter = waiters.withLock { $0.removeValue(forKey: descriptor) }
                mcpload_epoll_forget(epoll, descriptor)
                close(descriptor)
                waiter?.complete(())
            }
        }
    }
    #else
    private init() {}

    func waitForExit(pidfd: CInt) async -> Bool { false }
    #endif
}
