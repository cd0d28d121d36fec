/// A plain-text table with right-aligned numbers: what a terminal and a CI log both show well.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns aligned left (names); all others align right.
    var leftAligned: Set<Int> = [0]

    func render() -> String {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return leftAligned.contains(column) ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        // A left-aligned last column would end every line in padding.
        func trimmed(_ text: String) -> String { String(text.reversed().drop { $0 == " " }.reversed()) }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).map(trimmed).joined(separator: "\n")
    }
}
