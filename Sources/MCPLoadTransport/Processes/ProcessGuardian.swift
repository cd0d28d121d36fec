import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A helper process that kills every server mcpload started once mcpload is gone, however it
/// went: a `SIGKILL`, the OOM killer, a crash.
///
/// mcpload tells it each server's process group as it starts (`+PID`) and stops (`-PID`), one
/// line each, on a pipe whose write end only mcpload holds. The kernel closes that end when
/// mcpload dies, whatever kills it; the guardian reads end of file and sends `SIGKILL` to the
/// groups still listed. Unlike a parent-death signal (`PR_SET_PDEATHSIG`), which fires when the
/// *thread* that spawned a child exits and is not inherited by a server's own children, this
/// needs no hook between fork and exec and reaches whole groups. The guardian leads its own
/// process group and ignores the terminal's signals, so a Ctrl-C or a group kill meant for
/// mcpload does not take it first.
package enum ProcessGuardian {
    private struct State {
        var command: [String]?
        /// The pipe to the guardian, once it runs; nil before, or if it could not be started.
        var pipe: CInt?
        var started = false
    }

    private static let state = Mutex(State())

    /// Names the guardian's command line (mcpload's own executable and its hidden `guardian`
    /// subcommand); it starts with the first server.
    package static func install(command: [String]) {
        state.withLock { $0.command = command }
    }

    static func started(_ pid: Int32) { send("+\(pid)\n") }

    static func stopped(_ pid: Int32) { send("-\(pid)\n") }

    private static func send(_ line: String) {
        state.withLock { state in
            if !state.started {
                state.started = true
                state.pipe = state.command.flatMap(spawn)
            }
            guard let pipe = state.pipe else { return }
            var bytes = Array(line.utf8)
            // A line is far below PIPE_BUF, so the write is atomic; a guardian that died gives
            // EPIPE (SIGPIPE is ignored), and servers then have no guard, as before.
            let written = bytes.withUnsafeMutableBytes { write(pipe, $0.baseAddress, $0.count) }
            if written < 0 && errno == EPIPE {
                close(pipe)
                state.pipe = nil
            }
        }
    }

    /// Starts the guardian with a pipe on its stdin; returns the pipe's write end.
    private static func spawn(_ command: [String]) -> CInt? {
        guard let executable = command.first else { return nil }
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        // Only mcpload may hold the write end, or the guardian would not see mcpload's death.
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        var pid: pid_t = 0
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let status = posix_spawn(&pid, executable, &actions, &attributes, arguments, environ)
        close(ends[0])
        guard status == 0 else {
            close(ends[1])
            return nil
        }
        return ends[1]
    }

    /// The guardian's side: reads `+PID` / `-PID` lines from `input` until end of file, then
    /// kills every group still listed. Returns how many it killed.
    @discardableResult
    package static func watch(reading input: CInt) -> Int {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(signalNumber, SIG_IGN) }
        var listed = GuardedGroups()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            listed.take(buffer[..<count])
        }
        for group in listed.groups {
            kill(-group, SIGKILL)
            kill(group, SIGKILL)
        }
        return listed.groups.count
    }
}

/// The process groups a guardian watches, from the lines it was sent.
struct GuardedGroups {
    private(set) var groups: Set<Int32> = []
    private var partial: [UInt8] = []

    /// Takes a chunk of `+PID` / `-PID` lines; a line split across chunks is joined, and
    /// anything that is not such a line is ignored.
    mutating func take(_ bytes: some Collection<UInt8>) {
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                if partial.count < 32 { partial.append(byte) }
                continue
            }
            defer { partial.removeAll(keepingCapacity: true) }
            guard let sign = partial.first, let pid = Int32(String(decoding: partial.dropFirst(), as: UTF8.self)),
                pid > 1
            else { continue }
            if sign == UInt8(ascii: "+") { groups.insert(pid) }
            if sign == UInt8(ascii: "-") { groups.remove(pid) }
        }
    }
}
