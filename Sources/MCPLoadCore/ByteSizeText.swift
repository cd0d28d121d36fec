/// Reads sizes the way scenario files spell them: `16MiB`, `512KiB`, `1048576`.
public enum ByteSizeText {
    private static let units: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("B", 1),
    ]

    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        if let bytes = Int(trimmed), bytes > 0 { return bytes }
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingWhitespace()
            guard let value = Double(number), value > 0 else { return nil }
            return Int(value * Double(unit.bytes))
        }
        return nil
    }
}
