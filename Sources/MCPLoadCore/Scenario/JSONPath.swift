import MCPLoadJSONRPC

/// A small path into a JSON document: `content[0].text`, `structuredContent.sum`, `$.tools[2].name`.
///
/// It is what `expect.equals` and `capture` use to point at part of a result. The grammar is
/// deliberately tiny: member names separated by dots, array indexes in brackets.
package struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    package enum Component: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    package let components: [Component]
    package let description: String

    /// Parses `text`; returns nil when it is not a well-formed path.
    package init?(_ text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        var components: [Component] = []
        var name = ""
        var iterator = rest.makeIterator()
        while let character = iterator.next() {
            switch character {
            case ".":
                guard !name.isEmpty || components.last.map(Self.isIndex) == true else { return nil }
                if !name.isEmpty { components.append(.member(name)) }
                name = ""
            case "[":
                if !name.isEmpty { components.append(.member(name)) }
                name = ""
                var digits = ""
                while let digit = iterator.next(), digit != "]" { digits.append(digit) }
                guard let index = Int(digits), index >= 0 else { return nil }
                components.append(.index(index))
            default:
                name.append(character)
            }
        }
        if !name.isEmpty { components.append(.member(name)) }
        guard !components.isEmpty else { return nil }
        self.components = components
        self.description = text
    }

    private static func isIndex(_ component: Component) -> Bool {
        if case .index = component { return true }
        return false
    }

    /// The value at this path in `document`, or nil when the path leads nowhere.
    package func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for component in components {
            switch component {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let elements = current.arrayValue, elements.indices.contains(index) else { return nil }
                current = elements[index]
            }
        }
        return current
    }
}
