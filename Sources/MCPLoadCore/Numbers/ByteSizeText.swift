/// Reads sizes the way scenario files spell them: `16MiB`, `512KiB`, `1048576`.
package enum ByteSizeText {
    private static let units: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("B", 1),
    ]

    /// The largest size a scenario may name (1 TiB): beyond it no limit means anything.
    package static let maximum = 1 << 40

    /// Parses `text`; nil when it is not a positive size of at most ``maximum``.
    package static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        if let bytes = Int(trimmed) { return (1...maximum).contains(bytes) ? bytes : nil }
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingWhitespace()
            // Digits and a point only: `Double` alone would also take `inf`, `nan` and `0x1p3`.
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value > 0, value * Double(unit.bytes) <= Double(maximum)
            else { return nil }
            return max(1, Int(clampingDouble: value * Double(unit.bytes)))
        }
        return nil
    }

    /// `812KiB`, `12.3MiB`, `1.20GiB`: binary units, three significant figures or so.
    package static func format(_ bytes: UInt64) -> String {
        let value = Double(bytes)
        switch bytes {
        case ..<(1 << 10): return "\(bytes)B"
        case ..<(1 << 20): return "\(DurationText.rounded(value / 1024, places: value < 10 * 1024 ? 1 : 0))KiB"
        case ..<(1 << 30):
            return "\(DurationText.rounded(value / 1_048_576, places: value < 100 * 1_048_576 ? 1 : 0))MiB"
        default: return "\(DurationText.rounded(value / 1_073_741_824, places: 2))GiB"
        }
    }
}
