import Yams

extension ScenarioParser {
    static let stepNames = [
        "initialize", "list_tools", "call_tool", "list_resources", "read_resource", "list_prompts", "get_prompt",
        "ping", "notify", "raw", "think", "reconnect",
    ]
    static let commonStepKeys: Set<String> = ["label", "expect", "capture", "timeout"]

    func parseSteps(_ node: Node) throws(ScenarioError) -> [Step] {
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "steps must be a list, not \(describe(node))")
        }
        guard !sequence.isEmpty else { throw error(at: node, "steps is empty: give at least one step") }
        var steps: [Step] = []
        var captured: Set<String> = []
        for element in sequence {
            let step = try parseStep(element)
            try checkVariables(of: step, at: element, known: captured)
            captured.formUnion(step.captures.map(\.variable))
            steps.append(step)
        }
        return steps
    }

    private func parseStep(_ node: Node) throws(ScenarioError) -> Step {
        let name: String
        let parameters: Node?
        let nameNode: Node
        switch node {
        case .scalar(let scalar):
            name = scalar.string
            parameters = nil
            nameNode = node
        case .mapping(let mapping):
            guard mapping.count == 1, let (key, value) = mapping.first, case .scalar(let scalar) = key else {
                throw error(at: node, "a step is one action, e.g. '- call_tool: { name: echo }'; found several keys")
            }
            name = scalar.string
            parameters = value
            nameNode = key
        default:
            throw error(at: node, "a step must be an action name or '- action: { ... }', not \(describe(node))")
        }
        guard Self.stepNames.contains(name) else {
            throw error(at: nameNode, "unknown step '\(name)'; steps are: \(Self.stepNames.joined(separator: ", "))")
        }
        if name == "think" { return try parseThink(parameters, at: node) }
        var fields: YAMLFields?
        if let parameters { fields = try parameterFields(parameters, step: name) }
        return try parseRequestStep(name, fields: fields, line: nameNode.mark?.line ?? 0, at: node)
    }

    private func parameterFields(_ node: Node, step: String) throws(ScenarioError) -> YAMLFields? {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || node.null != nil { return nil }
        return try mapping(node, context: "step '\(step)'")
    }

    private func parseThink(_ parameters: Node?, at node: Node) throws(ScenarioError) -> Step {
        guard let parameters else { throw error(at: node, "think needs a duration, e.g. '- think: 50ms'") }
        let pause = try duration(parameters, what: "think")
        return Step(action: .think(pause), label: "think", line: node.mark?.line ?? 0)
    }

    private func parseRequestStep(
        _ name: String, fields: YAMLFields?, line: Int, at node: Node
    ) throws(ScenarioError) -> Step {
        let own = Self.ownKeys[name] ?? []
        if let fields { try checkKeys(fields, allowed: own.union(Self.commonStepKeys), context: "step '\(name)'") }
        let action = try action(name, fields: fields, at: node)
        var step = Step(action: action, label: defaultLabel(for: action), line: line)
        guard let fields else { return step }
        if let label = fields["label"] { step.label = try string(label) }
        if let timeout = fields["timeout"] { step.timeout = try positiveDuration(timeout, what: "\(name).timeout") }
        if let expect = fields["expect"] { step.expectation = try parseExpectation(expect) }
        if let capture = fields["capture"] { step.captures = try parseCaptures(capture) }
        return step
    }

    private static let ownKeys: [String: Set<String>] = [
        "initialize": ["protocolVersion", "clientInfo"],
        "call_tool": ["name", "arguments"],
        "read_resource": ["uri"],
        "get_prompt": ["name", "arguments"],
        "notify": ["method", "params"],
        "raw": ["text", "awaitResponse"],
    ]

    private func action(_ name: String, fields: YAMLFields?, at node: Node) throws(ScenarioError) -> Step.Action {
        func required(_ key: String) throws(ScenarioError) -> Node {
            guard let value = fields?[key] else { throw error(at: node, "step '\(name)' needs '\(key)'") }
            return value
        }
        func arguments() throws(ScenarioError) -> TemplatedJSON {
            guard let value = fields?["arguments"] else { return .literal(.object([:])) }
            guard case .mapping = value else { throw error(at: value, "\(name).arguments must be a mapping") }
            return try templatedJSON(value, what: "\(name).arguments")
        }
        switch name {
        case "initialize":
            let version = try fields?["protocolVersion"].map { node throws(ScenarioError) in try string(node) }
            let clientInfo = try fields?["clientInfo"].map { node throws(ScenarioError) in
                try templatedJSON(node, what: "initialize.clientInfo")
            }
            return .initialize(protocolVersion: version, clientInfo: clientInfo)
        case "list_tools": return .listTools
        case "call_tool": return .callTool(name: try string(try required("name")), arguments: try arguments())
        case "list_resources": return .listResources
        case "read_resource": return .readResource(uri: try template(try required("uri"), what: "read_resource.uri"))
        case "list_prompts": return .listPrompts
        case "get_prompt": return .getPrompt(name: try string(try required("name")), arguments: try arguments())
        case "ping": return .ping
        case "notify":
            let params = try fields?["params"].map { node throws(ScenarioError) in
                try templatedJSON(node, what: "notify.params")
            }
            return .notify(method: try string(try required("method")), params: params)
        case "raw":
            let awaits = try fields?["awaitResponse"].map { node throws(ScenarioError) in
                try boolean(node, what: "raw.awaitResponse")
            }
            return .raw(text: try template(try required("text"), what: "raw.text"), awaitsResponse: awaits ?? true)
        default: return .reconnect
        }
    }

    private func defaultLabel(for action: Step.Action) -> String {
        switch action {
        case .initialize: "initialize"
        case .listTools: "list_tools"
        case .callTool(let name, _): "call \(name)"
        case .listResources: "list_resources"
        case .readResource: "read_resource"
        case .listPrompts: "list_prompts"
        case .getPrompt(let name, _): "get_prompt \(name)"
        case .ping: "ping"
        case .notify(let method, _): "notify \(method)"
        case .raw: "raw"
        case .think: "think"
        case .reconnect: "reconnect"
        }
    }

    private func parseExpectation(_ node: Node) throws(ScenarioError) -> Expectation {
        let fields = try mapping(node, context: "expect")
        try checkKeys(fields, allowed: ["isError", "contains", "equals", "error"], context: "expect")
        var expectation = Expectation()
        if let isError = fields["isError"] { expectation.isError = try boolean(isError, what: "expect.isError") }
        if let contains = fields["contains"] {
            let texts: [Node] = if case .sequence(let list) = contains { Array(list) } else { [contains] }
            for text in texts { expectation.contains.append(try template(text, what: "expect.contains")) }
        }
        if let code = fields["error"] {
            expectation.errorCode = Int64(
                try integer(code, minimum: Int(Int32.min), maximum: Int(Int32.max), what: "expect.error"))
        }
        if let equals = fields["equals"] {
            for field in try mapping(equals, context: "expect.equals").fields {
                guard let path = JSONPath(field.key) else {
                    throw error(at: field.keyNode, "bad JSON path '\(field.key)'; write e.g. content[0].text")
                }
                expectation.equals.append(.init(path: path, value: try json(field.value)))
            }
        }
        return expectation
    }

    private func parseCaptures(_ node: Node) throws(ScenarioError) -> [Capture] {
        var captures: [Capture] = []
        for field in try mapping(node, context: "capture").fields {
            guard !Template.builtinVariables.contains(field.key) else {
                throw error(at: field.keyNode, "'\(field.key)' is a built-in variable and cannot be captured into")
            }
            let text = try string(field.value)
            guard let path = JSONPath(text) else {
                throw error(at: field.value, "bad JSON path '\(text)'; write e.g. structuredContent.id")
            }
            captures.append(Capture(variable: field.key, path: path))
        }
        return captures
    }

    /// Every placeholder must be built in or captured by an earlier step: a typo is an error now,
    /// not an empty string in ten thousand requests.
    private func checkVariables(of step: Step, at node: Node, known: Set<String>) throws(ScenarioError) {
        var used: [String]
        switch step.action {
        case .initialize(_, let clientInfo): used = clientInfo?.variables ?? []
        case .callTool(_, let arguments), .getPrompt(_, let arguments): used = arguments.variables
        case .readResource(let uri): used = uri.variables
        case .notify(_, let params): used = params?.variables ?? []
        case .raw(let text, _): used = text.variables
        default: used = []
        }
        used += step.expectation.contains.flatMap(\.variables)
        for variable in used where !Template.builtinVariables.contains(variable) && !known.contains(variable) {
            let available = (Template.builtinVariables.union(known)).sorted().map { "{{\($0)}}" }
            throw error(
                at: node,
                "unknown template variable '{{\(variable)}}'; available here: \(available.joined(separator: ", "))")
        }
    }
}
