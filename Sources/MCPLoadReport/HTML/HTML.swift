/// The few pieces of markup the report repeats: escaped text, tables, definition lists.
enum HTML {
    /// A table cell: its text escaped, or markup passed through as it is.
    struct Cell {
        var html: String
        var numeric = false
        var cssClass: String?

        static func text(_ text: String, numeric: Bool = false, cssClass: String? = nil) -> Cell {
            Cell(html: Markup.escape(text), numeric: numeric, cssClass: cssClass)
        }

        static func number(_ text: String, cssClass: String? = nil) -> Cell {
            .text(text, numeric: true, cssClass: cssClass)
        }
    }

    static func table(header: [String], rows: [[Cell]], numericFrom: Int = Int.max) -> String {
        var lines = ["<table>", "<thead><tr>"]
        lines += header.enumerated().map { index, title in
            index >= numericFrom
                ? #"<th class="num">\#(Markup.escape(title))</th>"# : "<th>\(Markup.escape(title))</th>"
        }
        lines.append("</tr></thead><tbody>")
        for row in rows {
            let cells = row.map { cell -> String in
                let classes = [cell.numeric ? "num" : nil, cell.cssClass].compactMap { $0 }
                return classes.isEmpty
                    ? "<td>\(cell.html)</td>" : #"<td class="\#(classes.joined(separator: " "))">\#(cell.html)</td>"#
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        return lines.joined(separator: "\n")
    }

    static func definitions(_ pairs: [(String, String)]) -> String {
        "<dl>" + pairs.map { "<dt>\(Markup.escape($0.0))</dt><dd>\(Markup.escape($0.1))</dd>" }.joined() + "</dl>"
    }
}
