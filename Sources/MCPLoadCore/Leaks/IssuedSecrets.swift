import Synchronization

/// Secrets handed out while a run goes on (access and refresh tokens from a token endpoint):
/// unknown when the run's ``Redactor`` is made, so it looks them up here.
///
/// A token is one run of token characters (RFC 6750's b64token), so the lookup splits text into
/// such runs and asks a set about each: one pass over the text however many tokens were issued.
package final class IssuedSecrets: Sendable {
    private let values = Mutex(Set<String>())

    package init() {}

    /// Values shorter than this are not tokens anyone issues; they would redact ordinary words.
    static let minimumLength = 12

    package func add(_ value: String) {
        guard value.utf8.count >= Self.minimumLength else { return }
        values.withLock { _ = $0.insert(value) }
    }

    package var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// `text` with every issued value in it replaced by `placeholder`.
    package func redact(_ text: String, placeholder: String) -> String {
        let known = values.withLock { $0 }
        guard !known.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        while index < bytes.count {
            guard Self.isTokenByte(bytes[index]) else {
                output.append(bytes[index])
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, Self.isTokenByte(bytes[end]) { end += 1 }
            // Padding belongs to the token that it ends.
            var padded = end
            while padded < bytes.count, bytes[padded] == UInt8(ascii: "=") { padded += 1 }
            let run = String(decoding: bytes[index..<padded], as: UTF8.self)
            let bare = String(decoding: bytes[index..<end], as: UTF8.self)
            if known.contains(run) || known.contains(bare) {
                output += placeholder.utf8
                changed = true
                index = known.contains(run) ? padded : end
            } else {
                output += bytes[index..<end]
                index = end
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
    }
}
