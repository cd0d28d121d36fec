#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One process's CPU time and resident memory, from Linux's `/proc/PID/stat`.
struct ProcessStat: Equatable {
    /// User + system CPU time, in clock ticks.
    var cpuTicks: UInt64
    /// Resident set size, in pages.
    var residentPages: UInt64

    /// Parses the file's one line. The command name (field 2) is in parentheses and may hold
    /// spaces and parentheses itself, so fields are counted from the last `)`.
    init?(parsing line: String) {
        guard let close = line.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) onwards; utime is field 14, stime 15, rss 24.
        let fields = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 21, let user = UInt64(fields[11]), let system = UInt64(fields[12]),
            let rss = Int64(fields[21])
        else { return nil }
        cpuTicks = user + system
        residentPages = UInt64(max(0, rss))
    }

    /// Reads `/proc/PID/stat`; nil when the process is gone or the file is unreadable (not Linux).
    static func read(pid: Int32) -> ProcessStat? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return ProcessStat(parsing: String(decoding: buffer[..<count], as: UTF8.self))
    }

    static let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    static let pageBytes = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
}

/// `read(2)`, named apart from the Swift functions called `read` in scope.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
