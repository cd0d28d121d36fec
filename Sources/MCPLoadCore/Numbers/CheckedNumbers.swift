/// Conversions of numbers that came from outside (a server, a file, a flag) that never trap.
///
/// Swift's `Int64(someDouble)` traps on NaN, infinities and values out of range; a server that
/// answers with an id of `1e19` must cost one failed request, not the run.
extension FixedWidthInteger {
    /// The integer nearest to `value`, clamped to the type's range; NaN becomes zero.
    @inlinable
    package init(clampingDouble value: Double) {
        if value.isNaN {
            self = 0
        } else if value <= Double(Self.min) {
            self = Self.min
        } else if value >= Double(Self.max) {
            // `Double(Self.max)` rounds up to 2^63 (or 2^64): not representable, so clamp here.
            self = Self.max
        } else {
            self = Self(value.rounded(.towardZero))
        }
    }
}

extension Duration {
    /// `seconds` as a duration, clamped to what `Int64` nanoseconds hold (±292 years).
    package static func clampedSeconds(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(clampingDouble: (seconds * 1e9).rounded()))
    }
}
