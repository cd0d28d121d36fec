/// Reads one metric out of a Prometheus text exposition (the format of a `/metrics` page):
/// how a production server most often says how many sessions it holds.
///
/// `name{label="value",…} 42 1700000000000` — comments (`#`) and other metrics are skipped,
/// every series of the metric is summed (one per worker or per transport, say). Hand-written
/// because it is small and what it reads comes from the server under test: it never traps,
/// whatever the page holds.
package enum PrometheusText {
    package enum Reading: Sendable, Equatable {
        /// The sum over the metric's series.
        case value(Double)
        /// The page has no sample of that metric.
        case missing
        /// A sample of the metric whose value is not a finite number (or that takes the sum
        /// past one).
        case unreadable(line: Int)
    }

    /// The sum of every sample of `metric` in `page`.
    package static func read(_ metric: String, in page: some Collection<UInt8>) -> Reading {
        let name = Array(metric.utf8)
        var sum = 0.0
        var found = false
        var lineNumber = 0
        for line in page.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let value = sample(of: name, in: Array(line)) else { continue }
            guard let number = value, number.isFinite else { return .unreadable(line: lineNumber) }
            sum += number
            // Series that add up past a double's range give no figure either.
            guard sum.isFinite else { return .unreadable(line: lineNumber) }
            found = true
        }
        return found ? .value(sum) : .missing
    }

    /// nil when the line is not a sample of `name`; `.some(nil)` when it is but its value is
    /// not a number.
    private static func sample(of name: [UInt8], in line: [UInt8]) -> Double?? {
        var index = line.startIndex
        while index < line.endIndex, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") {
            index += 1
        }
        guard line[index...].starts(with: name) else { return nil }
        index += name.count
        guard index < line.endIndex else { return .some(nil) }
        // `mcp_sessions` must not match `mcp_sessions_total`.
        switch line[index] {
        case UInt8(ascii: "{"):
            guard let close = endOfLabels(in: line, from: index) else { return .some(nil) }
            index = close + 1
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            break
        default:
            return nil
        }
        let fields = line[index...].split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        guard let first = fields.first, let text = String(validating: first, as: UTF8.self) else { return .some(nil) }
        return .some(Double(text))
    }

    /// The index of the `}` that closes the label set opened at `open`, skipping quoted values
    /// (which may hold `}` and escaped quotes).
    private static func endOfLabels(in line: [UInt8], from open: Int) -> Int? {
        var quoted = false
        var escaped = false
        var index = open + 1
        while index < line.endIndex {
            let byte = line[index]
            if escaped {
                escaped = false
            } else if quoted {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { quoted = false }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if byte == UInt8(ascii: "}") {
                return index
            }
            index += 1
        }
        return nil
    }
}
