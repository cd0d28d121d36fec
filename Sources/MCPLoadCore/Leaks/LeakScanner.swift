import MCPLoadJSONRPC

/// Finds sensitive values in MCP messages: on the JSON-decoded strings, so a value escaped on
/// the wire (`\u0040`, `\/`) is found as the server meant it.
///
/// Hand-written rather than regex-based: it runs on every message in both directions, so each
/// detector waits for its cheap anchor byte (`@`, a digit, `A`, `g`, `x`, `s`, `e`, `-`, `:`,
/// `B`, `m`) and only then looks closer.
package struct LeakScanner: Sendable {
    package var detectors: Set<LeakDetector>
    /// The scenario's own patterns, run after the built-in detectors.
    package var custom: [CustomLeakPattern]

    package init(detectors: Set<LeakDetector> = Set(LeakDetector.allCases), custom: [CustomLeakPattern] = []) {
        self.detectors = detectors
        self.custom = custom
    }

    /// Every hit in every string of `value` (object keys included), each distinct hit once.
    package func scan(_ value: JSONValue) -> [LeakHit] {
        var hits: [LeakHit] = []
        walk(value) { text in scan(text, into: &hits) }
        return hits
    }

    /// Every distinct hit in one string.
    package func scan(_ text: String) -> [LeakHit] {
        var hits: [LeakHit] = []
        scan(text, into: &hits)
        return hits
    }

    /// `text` with every value a detector finds replaced by its redacted preview: for messages
    /// that quote what a server sent (a failed check, a server's stderr).
    package func redact(_ text: String) -> String {
        var output = text
        for hit in scan(text).sorted(by: { $0.value.count > $1.value.count }) {
            output = output.replacing(hit.value, with: LeakRedaction.preview(hit.value))
        }
        return output
    }

    private func walk(_ value: JSONValue, _ visit: (String) -> Void) {
        switch value {
        case .string(let text): visit(text)
        case .array(let elements): for element in elements { walk(element, visit) }
        case .object(let members):
            for (key, member) in members {
                visit(key)
                walk(member, visit)
            }
        default: break
        }
    }

    private func scan(_ text: String, into hits: inout [LeakHit]) {
        for pattern in custom { pattern.scan(text, into: &hits) }
        // No detector matches fewer bytes; keys and short values end here, before any work.
        guard text.utf8.count >= 6 else { return }
        var text = text
        text.withUTF8 { bytes in scan(bytes, into: &hits) }
    }

    private func scan(_ bytes: LeakPatterns.Bytes, into hits: inout [LeakHit]) {
        var found: [(LeakDetector, Range<Int>)] = []
        for index in bytes.indices {
            // Most bytes cannot start a match: only a few anchor anywhere, the rest at a token's start.
            let anchor = LeakPatterns.anchors[Int(bytes[index])]
            guard anchor == .anywhere || (anchor == .tokenStart && LeakPatterns.isTokenStart(bytes, index)) else {
                continue
            }
            found.removeAll(keepingCapacity: true)
            LeakPatterns.match(bytes, at: index, enabled: detectors, into: &found)
            for (detector, range) in found {
                let hit = LeakHit(detector: detector, value: String(decoding: bytes[range], as: UTF8.self))
                if !hits.contains(hit) { hits.append(hit) }
            }
        }
    }
}
