/// Reads and writes durations the way scenario files and flags spell them: `250ms`, `30s`, `1m30s`, `1.5s`.
package enum DurationText {
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// The longest duration a scenario or flag may name: far beyond any run, far below the
    /// ±292 years that a duration's nanoseconds hold.
    package static let maximum = Duration.seconds(100 * 365 * 86_400)

    /// Parses `text`; nil when it is not a non-negative number followed by a unit, repeated,
    /// or when it is longer than ``maximum``.
    package static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingWhitespace())
        guard !rest.isEmpty else { return nil }
        var totalSeconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isNumber || $0 == "." })
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            totalSeconds += value * unit.seconds
        }
        guard totalSeconds.isFinite, totalSeconds <= maximum.seconds else { return nil }
        return .clampedSeconds(totalSeconds)
    }

    /// A short human form: `850µs`, `12.3ms`, `4.20s`.
    package static func format(_ duration: Duration) -> String {
        formatMicroseconds(Double(duration.nanoseconds) / 1000)
    }

    package static func formatMicroseconds(_ micros: Double) -> String {
        switch micros {
        case ..<1000: return "\(Int(clampingDouble: micros.rounded()))µs"
        case ..<10_000: return "\(rounded(micros / 1000, places: 2))ms"
        case ..<1_000_000: return "\(rounded(micros / 1000, places: 1))ms"
        default: return "\(rounded(micros / 1_000_000, places: 2))s"
        }
    }

    /// `value` with exactly `places` decimals (none when `places` is 0), rounded half away from zero.
    package static func rounded(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale: Int64 = 1
        for _ in 0..<max(0, places) { scale *= 10 }
        let scaled = Int64(clampingDouble: (abs(value) * Double(scale)).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return "\(sign)\(scaled)" }
        let digits = String(scaled % scale)
        return "\(sign)\(scaled / scale).\(String(repeating: "0", count: places - digits.count))\(digits)"
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating at `Int64`'s bounds (±292 years).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, carried) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !carried else { return whole < 0 ? .min : .max }
        return total
    }

    package var seconds: Double { Double(nanoseconds) / 1e9 }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let characters = Array(self)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
            let last = characters.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(characters[first...last])
    }
}
