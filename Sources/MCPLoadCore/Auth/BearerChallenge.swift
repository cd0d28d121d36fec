/// The `Bearer` challenge of a `WWW-Authenticate` header (RFC 6750 §3, RFC 9728 §5.1): what a
/// protected MCP server says when it refuses a request.
///
/// Hand-written because the header comes from the server under test: bounded, never trusting
/// what it is given, and fuzzed (`scripts/fuzz challenge`). Only the parameters the client acts
/// on are kept; others are skipped.
package struct BearerChallenge: Sendable, Hashable {
    /// `invalid_token`, `insufficient_scope`, `invalid_request`, or absent (no token was sent).
    package var error: String?
    /// The scopes the resource asks for, as the server wrote them (space-separated).
    package var scope: String?
    /// Where the protected resource metadata lives (RFC 9728).
    package var resourceMetadata: String?

    package init(error: String? = nil, scope: String? = nil, resourceMetadata: String? = nil) {
        self.error = error
        self.scope = scope
        self.resourceMetadata = resourceMetadata
    }

    /// Headers longer than this are not read: no real challenge comes near it.
    static let maximumLength = 8192

    /// The Bearer challenge among the header's challenges, or nil when there is none.
    package init?(header: String) {
        guard header.utf8.count <= Self.maximumLength else { return nil }
        var scanner = Scanner(Array(header.utf8))
        while !scanner.atEnd {
            // A challenge starts with its scheme; parameters follow until the next scheme.
            scanner.skip(while: { $0 == .space || $0 == .comma })
            let scheme = scanner.token()
            guard !scheme.isEmpty else {
                // Not a scheme (a stray byte, a token68's padding): step over it.
                scanner.index += 1
                continue
            }
            let isBearer = String(decoding: scheme, as: UTF8.self).lowercased() == "bearer"
            var found = BearerChallenge()
            while let (name, value) = scanner.parameter() {
                guard isBearer else { continue }
                switch name.lowercased() {
                case "error": found.error = value
                case "scope": found.scope = value
                case "resource_metadata": found.resourceMetadata = value
                default: break
                }
            }
            if isBearer {
                self = found
                return
            }
        }
        return nil
    }

    /// The scopes asked for, one by one.
    package var scopes: [String] {
        (scope ?? "").split(separator: " ").map(String.init)
    }
}

extension BearerChallenge {
    /// Reads tokens, quoted strings and `name=value` parameters from the header's bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        mutating func skip(while predicate: (UInt8) -> Bool) {
            while index < bytes.count, predicate(bytes[index]) { index += 1 }
        }

        /// An RFC 9110 token (or a token68's characters): possibly empty.
        mutating func token() -> ArraySlice<UInt8> {
            let start = index
            skip(while: Self.isTokenCharacter)
            return bytes[start..<index]
        }

        /// The next `name=value` of the current challenge, or nil at the next scheme or the end.
        mutating func parameter() -> (String, String)? {
            let mark = index
            skip(while: { $0 == .space || $0 == .comma })
            let name = token()
            skip(while: { $0 == .space })
            guard !name.isEmpty, index < bytes.count, bytes[index] == .equals else {
                // The next challenge's scheme, or something that is not a parameter: the
                // challenge ends here, and the caller reads on from the mark.
                index = mark
                return nil
            }
            index += 1
            skip(while: { $0 == .space })
            let value: String
            if index < bytes.count, bytes[index] == .quote {
                value = quotedString()
            } else {
                value = String(decoding: token(), as: UTF8.self)
            }
            return (String(decoding: name, as: UTF8.self), value)
        }

        /// A quoted string from its opening quote; `\` escapes the next byte. An unterminated
        /// one runs to the end.
        private mutating func quotedString() -> String {
            index += 1
            var value: [UInt8] = []
            while index < bytes.count, bytes[index] != .quote {
                if bytes[index] == .backslash, index + 1 < bytes.count { index += 1 }
                value.append(bytes[index])
                index += 1
            }
            index = min(index + 1, bytes.count)
            return String(decoding: value, as: UTF8.self)
        }

        static func isTokenCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default: Array("!#$%&'*+-.^_`|~/".utf8).contains(byte)
            }
        }
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
}
