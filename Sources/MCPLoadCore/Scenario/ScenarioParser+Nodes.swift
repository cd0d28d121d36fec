import MCPLoadJSONRPC
import Yams

/// The keys of a YAML mapping in the order written, with their nodes, for located errors.
struct YAMLFields {
    struct Field {
        let key: String
        let keyNode: Node
        let value: Node
    }

    let fields: [Field]
    let node: Node

    subscript(key: String) -> Node? {
        fields.first { $0.key == key }?.value
    }
}

extension ScenarioParser {
    func error(at node: Node, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line ?? 1, message: message)
    }

    func mapping(_ node: Node, context: String) throws(ScenarioError) -> YAMLFields {
        guard case .mapping(let mapping) = node else {
            throw error(at: node, "\(context) must be a mapping of keys to values, not \(describe(node))")
        }
        var fields: [YAMLFields.Field] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(at: keyNode, "keys in \(context) must be plain words")
            }
            if fields.contains(where: { $0.key == scalar.string }) {
                throw error(at: keyNode, "duplicate key '\(scalar.string)' in \(context)")
            }
            fields.append(.init(key: scalar.string, keyNode: keyNode, value: value))
        }
        return YAMLFields(fields: fields, node: node)
    }

    func checkKeys(_ fields: YAMLFields, allowed: Set<String>, context: String) throws(ScenarioError) {
        for field in fields.fields where !allowed.contains(field.key) {
            var message = "unknown key '\(field.key)' in \(context)"
            if let suggestion = closestMatch(to: field.key, in: allowed) {
                message += " (did you mean '\(suggestion)'?)"
            }
            message += "; expected one of: \(allowed.sorted().joined(separator: ", "))"
            throw error(at: field.keyNode, message)
        }
    }

    func string(_ node: Node) throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(at: node, "expected a string, not \(describe(node))")
        }
        return scalar.string
    }

    func stringList(_ node: Node) throws(ScenarioError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var strings: [String] = []
            for element in sequence { strings.append(try string(element)) }
            return strings
        default:
            throw error(at: node, "expected a string or a list of strings, not \(describe(node))")
        }
    }

    func integer(_ node: Node, minimum: Int, maximum: Int = .max, what: String) throws(ScenarioError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error(at: node, "\(what) must be a whole number, not \(describe(node))")
        }
        guard value >= minimum else {
            throw error(at: node, "\(what) must be at least \(minimum), not \(value)")
        }
        guard value <= maximum else {
            throw error(at: node, "\(what) must be at most \(maximum), not \(value)")
        }
        return value
    }

    /// A count of virtual clients (or pooled sessions): at least one, at most what one machine holds.
    func clientCount(_ node: Node, what: String) throws(ScenarioError) -> Int {
        try integer(node, minimum: 1, maximum: LoadSettings.maximumVirtualClients, what: what)
    }

    func boolean(_ node: Node, what: String) throws(ScenarioError) -> Bool {
        guard let value = node.bool, case .scalar = node else {
            throw error(at: node, "\(what) must be true or false, not \(describe(node))")
        }
        return value
    }

    func duration(_ node: Node, what: String) throws(ScenarioError) -> Duration {
        guard case .scalar(let scalar) = node, let value = DurationText.parse(scalar.string) else {
            throw error(
                at: node,
                "\(what): bad duration \(describe(node)); write a number with a unit: 250ms, 10s, 2m (at most 100 years)"
            )
        }
        return value
    }

    /// A duration that must be above zero: how long a run, a wait or a timeout lasts.
    func positiveDuration(_ node: Node, what: String) throws(ScenarioError) -> Duration {
        let value = try duration(node, what: what)
        guard value > .zero else { throw error(at: node, "\(what) must be longer than 0") }
        return value
    }

    func byteSize(_ node: Node, what: String) throws(ScenarioError) -> Int {
        guard case .scalar(let scalar) = node, let value = ByteSizeText.parse(scalar.string) else {
            throw error(at: node, "\(what): bad size \(describe(node)); write bytes or a unit: 65536, 512KiB, 16MiB")
        }
        return value
    }

    func template(_ node: Node, what: String) throws(ScenarioError) -> Template {
        let text = try string(node)
        do {
            return try Template(parsing: text)
        } catch {
            throw self.error(at: node, "\(what): \(error.message)")
        }
    }

    /// A YAML value as JSON, keeping YAML's own typing of plain scalars (`3` is a number, `"3"` a string).
    func json(_ node: Node) throws(ScenarioError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let flag = node.bool { return .bool(flag) }
            if let number = node.int { return .int(Int64(number)) }
            if let number = node.float {
                guard number.isFinite else { throw error(at: node, "\(scalar.string) is not a finite number") }
                return .double(number)
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element)) }
            return .array(elements)
        case .mapping:
            let fields = try mapping(node, context: "a JSON object")
            var members: [String: JSONValue] = [:]
            for field in fields.fields { members[field.key] = try json(field.value) }
            return .object(members)
        case .alias:
            throw error(at: node, "YAML aliases are not supported here")
        }
    }

    /// Like ``json(_:)`` but strings may hold `{{placeholders}}`.
    func templatedJSON(_ node: Node, what: String) throws(ScenarioError) -> TemplatedJSON {
        switch node {
        case .scalar(let scalar) where scalar.style != .plain || node.tag.description.hasSuffix(":str"):
            let parsed = try template(node, what: what)
            return parsed.variables.isEmpty ? .literal(.string(scalar.string)) : .string(parsed)
        case .scalar:
            return .literal(try json(node))
        case .sequence(let sequence):
            var elements: [TemplatedJSON] = []
            for element in sequence { elements.append(try templatedJSON(element, what: what)) }
            return .array(elements)
        case .mapping:
            let fields = try mapping(node, context: what)
            var members: [String: TemplatedJSON] = [:]
            for field in fields.fields { members[field.key] = try templatedJSON(field.value, what: what) }
            return .object(members)
        case .alias:
            throw error(at: node, "YAML aliases are not supported here")
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func closestMatch(to key: String, in candidates: Set<String>) -> String? {
        candidates
            .map { ($0, editDistance($0.lowercased(), key.lowercased())) }
            .filter { $0.1 <= max(2, key.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }

    private func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1]
            for (j, rightCharacter) in right.enumerated() {
                current.append(
                    min(previous[j + 1] + 1, current[j] + 1, previous[j] + (leftCharacter == rightCharacter ? 0 : 1)))
            }
            previous = current
        }
        return previous[right.count]
    }
}
