import Foundation
import MCPLoadJSONRPC

/// A string with `{{variable}}` placeholders, parsed once when the scenario is loaded.
package struct Template: Sendable, Hashable {
    package enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
    }

    package let segments: [Segment]

    /// Built-in variables every step may use; anything else must be captured by an earlier step.
    package static let builtinVariables: Set<String> = ["vu", "iteration", "uuid", "canary", "identity"]

    /// Parses `text`; throws a message (no location) when a placeholder is unterminated or empty.
    package init(parsing text: String) throws(TemplateSyntaxError) {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateSyntaxError(message: "unterminated '{{' in \"\(text)\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw TemplateSyntaxError(message: "bad template variable '{{\(name)}}'")
            }
            segments.append(.variable(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        self.segments = segments
    }

    package init(literal: String) {
        segments = literal.isEmpty ? [] : [.literal(literal)]
    }

    /// The names of the placeholders, in order.
    package var variables: [String] {
        segments.compactMap { segment in
            if case .variable(let name) = segment { return name }
            return nil
        }
    }

    /// The text with every placeholder replaced.
    package func render(in context: TemplateContext) -> String {
        if case .literal(let text)? = segments.first, segments.count == 1 { return text }
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text): output += text
            case .variable(let name): output += context.text(for: name)
            }
        }
        return output
    }

    /// The rendered value as JSON: a string, except that a template which is exactly one variable
    /// keeps that variable's JSON type: `{{vu}}` and `{{iteration}}` are numbers, a captured
    /// value is whatever the server sent.
    package func renderJSON(in context: TemplateContext) -> JSONValue {
        guard segments.count == 1, case .variable(let name) = segments[0] else { return .string(render(in: context)) }
        switch name {
        case "vu": return .int(Int64(context.virtualClient))
        case "iteration": return .int(Int64(context.iteration))
        case "identity": return .int(Int64(context.identityNumber))
        default: return context.captured[name] ?? .string(render(in: context))
        }
    }
}

package struct TemplateSyntaxError: Error, Sendable {
    package let message: String
}

/// The values placeholders resolve to for one step of one iteration of one virtual client.
package struct TemplateContext: Sendable {
    package var virtualClient: Int
    package var iteration: Int
    package var captured: [String: JSONValue]
    /// This client's canary (`{{canary}}`): unique per client and run, so the leak scanner can
    /// tell whose it is wherever it turns up.
    package var canary: String
    /// The client's identity (`auth:`), from 1; nil without identities.
    package var identity: Int?

    package init(
        virtualClient: Int, iteration: Int, captured: [String: JSONValue] = [:], canary: String = "",
        identity: Int? = nil
    ) {
        self.virtualClient = virtualClient
        self.iteration = iteration
        self.captured = captured
        self.canary = canary
        self.identity = identity
    }

    /// `{{identity}}`: the client's identity, or without identities the client itself (each
    /// client is its own identity then).
    var identityNumber: Int { identity ?? virtualClient }

    func text(for variable: String) -> String {
        switch variable {
        case "vu": String(virtualClient)
        case "iteration": String(iteration)
        case "uuid": UUID().uuidString.lowercased()
        case "canary": canary
        case "identity": String(identityNumber)
        default: captured[variable]?.displayText ?? ""
        }
    }
}

/// A JSON value whose strings may hold placeholders; rendered per request.
package indirect enum TemplatedJSON: Sendable, Hashable {
    case literal(JSONValue)
    case string(Template)
    case array([TemplatedJSON])
    case object([String: TemplatedJSON])

    package func render(in context: TemplateContext) -> JSONValue {
        switch self {
        case .literal(let value): value
        case .string(let template): template.renderJSON(in: context)
        case .array(let elements): .array(elements.map { $0.render(in: context) })
        case .object(let members): .object(members.mapValues { $0.render(in: context) })
        }
    }

    /// Every placeholder name in the value.
    package var variables: [String] {
        switch self {
        case .literal: []
        case .string(let template): template.variables
        case .array(let elements): elements.flatMap(\.variables)
        case .object(let members): members.values.flatMap(\.variables)
        }
    }
}
