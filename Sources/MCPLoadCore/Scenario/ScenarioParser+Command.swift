import Yams

extension ScenarioParser {
    /// A command line as written: its words, and those marked `{ secret: … }`.
    struct CommandWords {
        var values: [String] = []
        var secrets: [String] = []
    }

    /// `command` or `args`: a string or a list whose elements are strings or `{ secret: VALUE }`.
    /// `${VAR}` references are checked here and resolved when the run starts.
    func commandWords(_ node: Node, what: String) throws(ScenarioError) -> CommandWords {
        var words = CommandWords()
        let elements: [Node]
        switch node {
        case .scalar: elements = [node]
        case .sequence(let sequence): elements = Array(sequence)
        default: throw error(at: node, "\(what) must be a string or a list of strings, not \(describe(node))")
        }
        for element in elements {
            if case .mapping = element {
                let fields = try mapping(element, context: "a secret argument")
                try checkKeys(fields, allowed: ["secret"], context: "a secret argument")
                guard let secret = fields["secret"] else {
                    throw error(at: element, "write a secret argument as { secret: VALUE }")
                }
                let value = try referencingEnvironment(secret, what: what)
                words.values.append(value)
                words.secrets.append(value)
            } else {
                words.values.append(try referencingEnvironment(element, what: what))
            }
        }
        return words
    }

    /// `env`: the server's extra environment, values checked for `${VAR}` references.
    func serverEnvironment(_ node: Node?) throws(ScenarioError) -> [String: String] {
        guard let node else { return [:] }
        var environment: [String: String] = [:]
        for field in try mapping(node, context: "target.env").fields {
            environment[field.key] = try referencingEnvironment(field.value, what: "target.env.\(field.key)")
        }
        return environment
    }

    /// A string that may hold `${VAR}` references, checked now so that a typo is a located error.
    private func referencingEnvironment(_ node: Node, what: String) throws(ScenarioError) -> String {
        let text = try string(node)
        do {
            _ = try EnvironmentTemplate(parsing: text)
        } catch {
            throw self.error(at: node, "\(what): \(error.message)")
        }
        return text
    }
}

extension TargetSpec {
    /// The target with `${VAR}` in its command words and environment values read from
    /// `environment`; every value read becomes a secret. Headers are resolved on their own
    /// (``resolvedHeaders(environment:)``).
    package func resolvingReferences(
        in environment: [String: String]
    ) throws(EnvironmentTemplate.MissingVariable) -> TargetSpec {
        var resolved = self
        func resolve(_ text: String) throws(EnvironmentTemplate.MissingVariable) -> String {
            guard text.contains("${"), let template = try? EnvironmentTemplate(parsing: text) else { return text }
            for variable in template.variables {
                if let value = environment[variable] { resolved.secretArguments.append(value) }
            }
            return try template.resolve(in: environment)
        }
        switch launch {
        case .command(let words):
            var values: [String] = []
            for word in words { values.append(try resolve(word)) }
            resolved.launch = .command(values)
        case .httpCommand(let words, let url):
            var values: [String] = []
            for word in words { values.append(try resolve(word)) }
            resolved.launch = .httpCommand(values, url: url)
        case .builtinDemo(let arguments):
            var values: [String] = []
            for word in arguments { values.append(try resolve(word)) }
            resolved.launch = .builtinDemo(arguments: values)
        case .url:
            break
        }
        for (key, value) in self.environment {
            resolved.environment[key] = try resolve(value)
        }
        return resolved
    }
}
