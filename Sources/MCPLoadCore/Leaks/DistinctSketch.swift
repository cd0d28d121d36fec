/// A HyperLogLog sketch: how many distinct fingerprints were added, in 4 KiB whatever the
/// number, within about 1.6% (one standard error, 2^12 registers), mergeable register by register.
///
/// Kept where exact sets would grow without bound: a server that hands every client a fresh
/// address in every answer, for a day.
package struct DistinctSketch: Sendable, Equatable, Codable {
    static let precision = 12
    static let registerCount = 1 << precision

    private var registers: [UInt8]

    package init() {
        registers = Array(repeating: 0, count: Self.registerCount)
    }

    package mutating func insert(_ fingerprint: UInt64) {
        // FNV-1a's high bits are weakly mixed for short values; the HyperLogLog needs them even.
        let hash = Self.mix(fingerprint)
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.precision))
        let rank = UInt8(min((hash << UInt64(Self.precision)).leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    package mutating func merge(_ other: DistinctSketch) {
        for index in registers.indices where other.registers[index] > registers[index] {
            registers[index] = other.registers[index]
        }
    }

    /// The estimated number of distinct fingerprints added.
    package var estimate: UInt64 {
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        // Few values: linear counting over the empty registers is the better estimate.
        if raw <= 2.5 * m, zeros > 0 { return UInt64(clampingDouble: (m * log(m / Double(zeros))).rounded()) }
        return UInt64(clampingDouble: raw.rounded())
    }

    /// splitmix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
