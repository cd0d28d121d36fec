/// A small, fast random number generator for what needs spread, not secrecy: retry jitter,
/// drawn once per answer. The system's generator makes a `getrandom` system call per draw,
/// one per request on the hot path (`strace -c` of an HTTP run: as many as its writes).
/// Seeded once from the system's generator, so clients do not draw in step.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    /// Seeded from the system's generator.
    package init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
