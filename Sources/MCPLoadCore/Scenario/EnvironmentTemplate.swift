/// Text with `${NAME}` references to environment variables: how secrets reach headers without
/// being written into scenario files (`Authorization: Bearer ${MCP_TOKEN}`). `${NAME:-text}`
/// falls back to `text` when the variable is not set (a demo's well-known value).
package struct EnvironmentTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String, fallback: String?)
    }

    let segments: [Segment]

    package init(parsing text: String) throws(TemplateSyntaxError) {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw TemplateSyntaxError(message: "unterminated '${' in a header value")
            }
            let reference = rest[open.upperBound..<close]
            let fallbackMark = reference.range(of: ":-")
            let name = String(fallbackMark.map { reference[..<$0.lowerBound] } ?? reference)
            let fallback = fallbackMark.map { String(reference[$0.upperBound...]) }
            guard let first = name.first, first.isLetter || first == "_",
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else { throw TemplateSyntaxError(message: "bad environment variable name '${\(name)}'") }
            segments.append(.variable(name, fallback: fallback))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        self.segments = segments
    }

    /// The variables referred to, in order.
    package var variables: [String] {
        segments.compactMap { if case .variable(let name, _) = $0 { name } else { nil } }
    }

    /// The text with every reference replaced; throws the name of the first variable not set.
    package func resolve(in environment: [String: String]) throws(MissingVariable) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text): output += text
            case .variable(let name, let fallback):
                guard let value = environment[name] ?? fallback else { throw MissingVariable(name: name) }
                output += value
            }
        }
        return output
    }

    /// The text with references as written, for messages: never the values.
    package var unresolved: String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .variable(let name, let fallback): fallback.map { "${\(name):-\($0)}" } ?? "${\(name)}"
            }
        }.joined()
    }

    package struct MissingVariable: Error, Sendable {
        package let name: String
    }
}

/// What an HTTP header value may hold: no line breaks or other control characters (tab
/// aside), which would end the header early and let the rest be read as another header.
package enum HeaderValue {
    package static func isValid(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }
    }
}

/// Header names mcpload accepts from a scenario or a flag: ASCII letters, digits and `-`.
package enum HeaderName {
    package static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
