import MCPLoadJSONRPC

/// One step of a scenario, as every virtual client performs it on every iteration.
package struct Step: Sendable {
    package enum Action: Sendable {
        /// Open the session here (spawn and handshake) unless it is already open.
        case initialize(protocolVersion: String?, clientInfo: TemplatedJSON?)
        case listTools
        case callTool(name: String, arguments: TemplatedJSON)
        case listResources
        case readResource(uri: Template)
        case listPrompts
        case getPrompt(name: String, arguments: TemplatedJSON)
        case ping
        case notify(method: String, params: TemplatedJSON?)
        /// Any text, sent as one line exactly as written (after templating), even when malformed.
        case raw(text: Template, awaitsResponse: Bool)
        case think(Duration)
        /// Close the session and open a new one.
        case reconnect
    }

    package var action: Action

    /// Whether the step's request renders the same for a client every time: its templates use
    /// only what a client keeps for the whole run (`{{vu}}`, `{{canary}}`, `{{identity}}`), not
    /// the iteration, captured values or `{{uuid}}`. Such params are encoded once per client.
    package var rendersOncePerClient: Bool {
        let variables: [String] =
            switch action {
            case .callTool(_, let arguments), .getPrompt(_, let arguments): arguments.variables
            case .readResource(let uri): uri.variables
            default: []
            }
        return variables.allSatisfy { ["vu", "canary", "identity"].contains($0) }
    }

    /// The name the step is reported under: `call echo`, `list_tools`, or the scenario's `label`.
    package var label: String
    package var expectation: Expectation
    /// Variables to set from the result: name → path into the result.
    package var captures: [Capture]
    /// Overrides the session's request timeout for this step.
    package var timeout: Duration?
    /// Where the step is written, for messages that point back at the scenario.
    package var line: Int

    package init(
        action: Action,
        label: String,
        expectation: Expectation = Expectation(),
        captures: [Capture] = [],
        timeout: Duration? = nil,
        line: Int = 0
    ) {
        self.action = action
        self.label = label
        self.expectation = expectation
        self.captures = captures
        self.timeout = timeout
        self.line = line
    }

    /// Whether this step sends a request and so produces measured attempts.
    package var isRequest: Bool {
        switch action {
        case .think, .reconnect, .initialize, .notify: false
        case .raw(_, let awaitsResponse): awaitsResponse
        default: true
        }
    }
}

/// A value taken from a step's result into a template variable for later steps.
package struct Capture: Sendable, Hashable {
    package var variable: String
    package var path: JSONPath

    package init(variable: String, path: JSONPath) {
        self.variable = variable
        self.path = path
    }
}

/// What a step's result must satisfy to count as a success.
package struct Expectation: Sendable, Hashable {
    /// For tools/call: the required value of `isError`. Nil accepts either.
    package var isError: Bool?
    /// Text that must appear among the result's strings; may use template variables.
    package var contains: [Template]
    /// Values required at paths of the result.
    package var equals: [PathEquality]
    /// A JSON-RPC error code the step expects instead of a result (e.g. -32700 for a malformed raw line).
    package var errorCode: Int64?

    package struct PathEquality: Sendable, Hashable {
        package var path: JSONPath
        package var value: JSONValue

        package init(path: JSONPath, value: JSONValue) {
            self.path = path
            self.value = value
        }
    }

    package init(isError: Bool? = nil, contains: [Template] = [], equals: [PathEquality] = [], errorCode: Int64? = nil)
    {
        self.isError = isError
        self.contains = contains
        self.equals = equals
        self.errorCode = errorCode
    }
}
