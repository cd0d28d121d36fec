import CYaml

/// Refuses YAML whose aliases would expand it past a small budget, before anything expands them.
///
/// Yams resolves an alias to the anchored node itself, cheaply; the cost comes later, when the
/// tree is walked (or a mapping key is hashed) once per reference. Nested anchors make that
/// exponential: a 612-byte "billion laughs" document grows past 4 GB. libyaml's event stream,
/// read here before Yams composes anything, knows each anchored node's size as it ends, so
/// every alias's expansion is added up in one linear pass.
struct YAMLAliasBudget {
    /// Nodes that aliases may add to a scenario in all: hundreds of times what a real one shares.
    static let maximumExpansion = 10_000

    /// Why a document was refused: the line of the alias that went over the budget.
    struct Exceeded: Error {
        var line: Int
        var alias: String
    }

    /// Checks `yaml`; returns quietly for documents within the budget, and for syntax errors,
    /// which the composer reports with its own words.
    static func check(_ yaml: String) throws(Exceeded) {
        var text = yaml
        let outcome: Exceeded? = text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var tally = Tally()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let exceeded = tally.take(event) { return exceeded }
            }
        }
        if let outcome { throw outcome }
    }

    /// Sizes of anchored nodes and of the containers still open, in nodes, aliases expanded.
    private struct Tally {
        var anchored: [String: Int] = [:]
        /// Each open container's anchor and size so far (itself included).
        var open: [(anchor: String?, size: Int)] = []
        var expansion = 0

        mutating func take(_ event: yaml_event_t) -> Exceeded? {
            switch event.type {
            case YAML_SCALAR_EVENT:
                close(anchor: name(event.data.scalar.anchor), size: 1)
            case YAML_SEQUENCE_START_EVENT:
                open.append((name(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                open.append((name(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let container = open.popLast() { close(anchor: container.anchor, size: container.size) }
            case YAML_ALIAS_EVENT:
                let alias = name(event.data.alias.anchor) ?? ""
                // An undefined alias is the composer's error to report; count it as one node.
                let size = anchored[alias] ?? 1
                expansion += size
                if expansion > YAMLAliasBudget.maximumExpansion {
                    return Exceeded(line: Int(event.start_mark.line) + 1, alias: alias)
                }
                close(anchor: nil, size: size)
            default:
                break
            }
            return nil
        }

        /// A node of `size` is complete: remembered under its anchor, added to its container.
        /// Sizes stay below the budget plus the document's own nodes, so they cannot overflow.
        private mutating func close(anchor: String?, size: Int) {
            if let anchor { anchored[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size += size }
        }

        private func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
