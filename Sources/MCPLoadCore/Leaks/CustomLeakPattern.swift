/// A leak detector the scenario defines (`leaks.custom`): a name and a regular expression, for
/// the values only its owner knows are sensitive (employee ids, internal hostnames, order keys).
///
/// Scanned on the same decoded strings as the built-in detectors, after them. A regular
/// expression runs over every string, so custom patterns cost more than the built-in ones.
package struct CustomLeakPattern: Sendable, Hashable {
    package let detector: LeakDetector
    /// The expression as the scenario wrote it.
    package let pattern: String
    /// `Regex<AnyRegexOutput>` is not `Sendable` only because its output type is not; the
    /// compiled program is immutable once built (and built here, in `init`), and matching
    /// shares nothing between calls, so clients on several threads may use one pattern.
    nonisolated(unsafe) private let regex: Regex<AnyRegexOutput>

    /// Names are what thresholds and results use: letters, digits, `-` and `_`, and none of the
    /// built-in detectors' names.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Compiles `pattern`; throws the compiler's message when it is not a valid expression.
    package init(name: String, pattern: String) throws {
        detector = LeakDetector(rawValue: name)
        self.pattern = pattern
        regex = try Regex(pattern)
        // The program is compiled on first use: do it now, before the pattern is shared.
        _ = "".firstMatch(of: regex)
    }

    /// A pattern that matches empty text finds no value: the scenario is told, not ignored.
    package var matchesEmptyText: Bool { "".wholeMatch(of: regex) != nil }

    /// Every match in `text`, each distinct value once, appended to `hits`.
    func scan(_ text: String, into hits: inout [LeakHit]) {
        for match in text.matches(of: regex) where !match.range.isEmpty {
            let hit = LeakHit(detector: detector, value: String(text[match.range]))
            if !hits.contains(hit) { hits.append(hit) }
        }
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.detector == rhs.detector && lhs.pattern == rhs.pattern
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(detector)
        hasher.combine(pattern)
    }
}
