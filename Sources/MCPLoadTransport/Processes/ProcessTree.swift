#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A server's descendants, found through Linux's `/proc/PID/task/TID/children`: what a signal
/// to the server's process group misses, a child that started a session of its own (`setsid`,
/// a daemon) among them.
///
/// Each process is kept with its start time, so a process is signalled only if it is still the
/// one that was found: a pid freed and reused in between is left alone.
enum ProcessTree {
    struct Member: Equatable {
        var pid: Int32
        /// Clock ticks after boot at which it started (`/proc/PID/stat` field 22).
        var startTime: UInt64
    }

    /// Every descendant of `pid`, depth first; empty off Linux or once `pid` is gone. Bounded, so
    /// a fork bomb under test cannot make the walk itself endless.
    static func descendants(of pid: Int32, limit: Int = 4096) -> [Member] {
        var found: [Member] = []
        var pending = children(of: pid)
        while let next = pending.popLast(), found.count < limit {
            guard let start = startTime(of: next) else { continue }
            found.append(Member(pid: next, startTime: start))
            pending += children(of: next)
        }
        return found
    }

    /// Sends SIGKILL to each member that is still the process it was.
    static func kill(_ members: [Member]) {
        for member in members where startTime(of: member.pid) == member.startTime {
            _ = systemKill(member.pid, SIGKILL)
        }
    }

    private static func children(of pid: Int32) -> [Int32] {
        guard let tasks = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(tasks) }
        var children: [Int32] = []
        while let entry = readdir(tasks) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let task = Int32(name) else { continue }
            let text = readSmallFile("/proc/\(pid)/task/\(task)/children") ?? ""
            children += text.split { $0 == " " || $0 == "\n" }.compactMap { Int32($0) }
        }
        return children
    }

    /// Field 22 of `/proc/PID/stat`, counted after the command name's closing parenthesis.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let line = readSmallFile("/proc/\(pid)/stat"), let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // After ")": field 3 (state) is index 0, so field 22 is index 19.
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Whether `pid` is running: it exists and is not a zombie (exited, awaiting its reaper).
    static func isRunning(_ pid: Int32) -> Bool {
        guard systemKill(pid, 0) == 0, let line = readSmallFile("/proc/\(pid)/stat"),
            let close = line.lastIndex(of: ")")
        else { return false }
        // After ")": a space, then field 3, the state.
        return !line[close...].dropFirst(2).hasPrefix("Z")
    }

    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// `kill(2)`, named apart from ``ProcessTree/kill(_:)``.
private func systemKill(_ pid: Int32, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}
