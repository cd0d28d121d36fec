#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time the whole machine has spent busy (every core, every process), from the first line
/// of Linux's `/proc/stat`: what tells a saturated machine from a saturated mcpload.
enum MachineCPU {
    /// Busy seconds since boot (user, nice, system, irq, softirq, steal); nil off Linux.
    static func busySeconds() -> Double? {
        let descriptor = open("/proc/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return busySeconds(parsing: String(decoding: buffer[..<count], as: UTF8.self))
    }

    /// Parses `cpu  user nice system idle iowait irq softirq steal …` (clock ticks).
    static func busySeconds(parsing text: String) -> Double? {
        guard let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard ticks.count >= 8 else { return nil }
        // idle (3) and iowait (4) are the waiting; the rest is work.
        let busy = ticks[0] &+ ticks[1] &+ ticks[2] &+ ticks[5] &+ ticks[6] &+ ticks[7]
        return Double(busy) / ProcessStat.ticksPerSecond
    }
}
