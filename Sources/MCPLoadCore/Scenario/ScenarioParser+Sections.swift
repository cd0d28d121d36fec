import Yams

extension ScenarioParser {
    func parseTarget(_ node: Node) throws(ScenarioError) -> TargetSpec {
        var target = try parseTargetServer(node)
        let fields = try mapping(node, context: "target")
        if let topology = try parseTopology(fields, context: "target") {
            guard target.transport == .stdio else {
                throw error(at: node, "'topology' applies to stdio targets; this one is \(target.transport.rawValue)")
            }
            target.topology = topology
        }
        if let replicaHeader = fields["replicaHeader"] {
            guard target.transport.isHTTP else {
                throw error(at: replicaHeader, "'replicaHeader' needs 'transport: http' (or sse)")
            }
            let name = try string(replicaHeader)
            guard HeaderName.isValid(name) else {
                throw error(at: replicaHeader, "'\(name)' is not a valid header name")
            }
            target.replicaHeader = name
        }
        if let sessionCount = fields["sessionCount"] {
            guard target.transport.isHTTP else {
                throw error(
                    at: sessionCount, "'sessionCount' is read from an HTTP server: it needs 'transport: http' (or sse)")
            }
            target.sessionCount = try parseSessionCount(sessionCount)
        }
        guard let headersNode = fields["headers"] else { return target }
        guard target.transport.isHTTP else {
            throw error(at: headersNode, "'headers' needs 'transport: http' (or sse)")
        }
        for field in try mapping(headersNode, context: "target.headers").fields {
            guard HeaderName.isValid(field.key)
            else { throw error(at: field.keyNode, "'\(field.key)' is not a valid header name") }
            let text = try string(field.value)
            guard HeaderValue.isValid(text) else {
                throw error(
                    at: field.value, "target.headers.\(field.key): the value holds a line break or control character")
            }
            do {
                target.headers[field.key] = try EnvironmentTemplate(parsing: text)
            } catch {
                throw self.error(at: field.value, "target.headers.\(field.key): \(error.message)")
            }
        }
        return target
    }

    /// `sessionCount: { url: http://127.0.0.1:9090/metrics, metric: mcp_sessions_active }`; a url
    /// written as a path (`/metrics`) is on the MCP server's own origin.
    private func parseSessionCount(_ node: Node) throws(ScenarioError) -> SessionCountSource {
        let fields = try mapping(node, context: "target.sessionCount")
        try checkKeys(fields, allowed: ["url", "metric"], context: "target.sessionCount")
        guard let urlNode = fields["url"], let metricNode = fields["metric"] else {
            throw error(at: node, "target.sessionCount needs 'url' (the metrics page) and 'metric' (its name)")
        }
        let url = try string(urlNode)
        guard url.hasPrefix("/") || url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw error(
                at: urlNode,
                "target.sessionCount.url is a path (/metrics) or starts with http:// or https://, not \"\(url)\"")
        }
        let metric = try string(metricNode)
        guard SessionCountSource.isValidMetricName(metric) else {
            throw error(at: metricNode, "'\(metric)' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)")
        }
        return SessionCountSource(url: url, metric: metric)
    }

    private func parseTargetServer(_ node: Node) throws(ScenarioError) -> TargetSpec {
        let fields = try mapping(node, context: "target")
        try checkKeys(
            fields,
            allowed: [
                "transport", "command", "args", "env", "cwd", "builtin", "url", "headers", "topology", "proxy",
                "replicaHeader", "sessionCount",
            ],
            context: "target")
        let transport = try parseTransport(fields["transport"])
        if let url = fields["url"] { return try parseHTTPServer(fields, url: url, transport: transport, in: node) }
        if transport.isHTTP, let command = fields["command"] {
            throw error(
                at: command, "with transport \(transport.rawValue), a command needs the 'url' where it will listen")
        }
        let arguments =
            try fields["args"].map { node throws(ScenarioError) in try commandWords(node, what: "args") }
            ?? CommandWords()
        let launch: TargetSpec.Launch
        var secretArguments = arguments.secrets
        switch (fields["builtin"], fields["command"]) {
        case (let builtin?, nil):
            let name = try string(builtin)
            guard name == "demo" else {
                throw error(at: builtin, "unknown builtin server '\(name)'; the built-in server is 'demo'")
            }
            launch = .builtinDemo(arguments: arguments.values)
        case (nil, let command?):
            let words = try executableWords(command)
            launch = .command(words.values + arguments.values)
            secretArguments += words.secrets
        case (_?, _?):
            throw error(at: node, "target has both 'builtin' and 'command'; choose one")
        case (nil, nil):
            throw error(at: node, "target needs 'command' (a server to spawn) or 'builtin: demo'")
        }
        var target = TargetSpec(
            launch: launch, transport: transport, environment: try serverEnvironment(fields["env"]),
            workingDirectory: try fields["cwd"].map { node throws(ScenarioError) in try string(node) })
        target.secretArguments = secretArguments
        return target
    }

    /// `transport:`, stdio when absent.
    private func parseTransport(_ node: Node?) throws(ScenarioError) -> TargetSpec.Transport {
        guard let node else { return .stdio }
        let name = try string(node)
        guard let known = TargetSpec.Transport(rawValue: name) else {
            let names = TargetSpec.Transport.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(at: node, "transport '\(name)' is not supported by this version of mcpload; use \(names)")
        }
        return known
    }

    /// A server at `url`: already running, or (with `command`) started by mcpload for the run,
    /// which waits until `url` answers.
    private func parseHTTPServer(
        _ fields: YAMLFields, url: Node, transport: TargetSpec.Transport, in node: Node
    ) throws(ScenarioError) -> TargetSpec {
        guard transport.isHTTP else { throw error(at: url, "'url' needs 'transport: http' (or sse)") }
        guard fields["builtin"] == nil else {
            throw error(at: node, "target has 'url' and 'builtin'; the built-in server picks its own port")
        }
        let text = try string(url)
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw error(at: url, "url must start with http:// or https://, not \"\(text)\"")
        }
        guard let command = fields["command"] else { return TargetSpec(launch: .url(text), transport: transport) }
        let words = try executableWords(command)
        let arguments = try fields["args"].map { node throws(ScenarioError) in try commandWords(node, what: "args") }
        var target = TargetSpec(
            launch: .httpCommand(words.values + (arguments?.values ?? []), url: text), transport: transport,
            environment: try serverEnvironment(fields["env"]),
            workingDirectory: try fields["cwd"].map { node throws(ScenarioError) in try string(node) })
        target.secretArguments = words.secrets + (arguments?.secrets ?? [])
        return target
    }

    /// `command:`, which must name an executable.
    private func executableWords(_ command: Node) throws(ScenarioError) -> CommandWords {
        let words = try commandWords(command, what: "command")
        guard let executable = words.values.first, !executable.isEmpty else {
            throw error(at: command, "command must name an executable")
        }
        return words
    }

    func parseLoad(_ node: Node) throws(ScenarioError) -> LoadSettings {
        let fields = try mapping(node, context: "load")
        try checkKeys(
            fields,
            allowed: [
                "model", "vus", "iterations", "duration", "ramp", "think", "rate", "stages", "maxVUs", "start", "step",
                "hold", "max", "until",
            ],
            context: "load")
        if let model = fields["model"] {
            switch try string(model) {
            case "closed":
                break
            case "open":
                try rejectKeys(["start", "step", "hold", "max", "until"], in: fields, model: "the ceiling model")
                return try parseOpenLoad(fields)
            case "ceiling":
                return try parseCeilingLoad(fields)
            case let name:
                throw error(at: model, "load model '\(name)' is not one of closed, open, ceiling")
            }
        }
        try rejectKeys(["rate", "stages", "maxVUs"], in: fields, model: "the open model: add 'model: open'")
        try rejectKeys(["start", "step", "hold", "max", "until"], in: fields, model: "the ceiling model")
        var load = LoadSettings()
        if let vus = fields["vus"] { load.virtualClients = try clientCount(vus, what: "load.vus") }
        if let duration = fields["duration"] {
            load.duration = try positiveDuration(duration, what: "load.duration")
            load.iterations = nil
        }
        if let iterations = fields["iterations"] {
            load.iterations = try integer(iterations, minimum: 1, what: "load.iterations")
        }
        if let ramp = fields["ramp"] { load.rampUp = try duration(ramp, what: "load.ramp") }
        if let think = fields["think"] { load.thinkTime = try duration(think, what: "load.think") }
        return load
    }

    func parseSession(_ node: Node) throws(ScenarioError) -> SessionSettings {
        let fields = try mapping(node, context: "session")
        try checkKeys(
            fields,
            allowed: [
                "strategy", "protocolVersion", "requestTimeout", "setupTimeout", "shutdownGrace", "maxMessageSize",
                "connectTimeout", "streamIdleTimeout", "listen", "delete",
            ],
            context: "session")
        var session = SessionSettings()
        if let strategy = fields["strategy"] {
            if case .mapping = strategy {
                let pool = try mapping(strategy, context: "session.strategy")
                try checkKeys(pool, allowed: ["pool"], context: "session.strategy")
                guard let size = pool["pool"] else { throw error(at: strategy, "write the pool as { pool: N }") }
                session.strategy = .pool(try clientCount(size, what: "session.strategy.pool"))
            } else {
                let name = try string(strategy)
                guard let known = SessionSettings.Strategy(name: name) else {
                    let names = SessionSettings.Strategy.names.joined(separator: ", ")
                    throw error(at: strategy, "session strategy '\(name)' is not one of \(names)")
                }
                session.strategy = known
            }
        }
        if let version = fields["protocolVersion"] { session.protocolVersion = try string(version) }
        if let timeout = fields["requestTimeout"] {
            session.requestTimeout = try positiveDuration(timeout, what: "session.requestTimeout")
        }
        if let timeout = fields["setupTimeout"] {
            session.setupTimeout = try positiveDuration(timeout, what: "session.setupTimeout")
        }
        if let grace = fields["shutdownGrace"] {
            session.shutdownGrace = try duration(grace, what: "session.shutdownGrace")
        }
        if let timeout = fields["connectTimeout"] {
            session.connectTimeout = try positiveDuration(timeout, what: "session.connectTimeout")
        }
        if let timeout = fields["streamIdleTimeout"] {
            session.streamIdleTimeout = try positiveDuration(timeout, what: "session.streamIdleTimeout")
        }
        if let listen = fields["listen"] { session.listen = try boolean(listen, what: "session.listen") }
        if let delete = fields["delete"] { session.endWithDelete = try boolean(delete, what: "session.delete") }
        if let size = fields["maxMessageSize"] {
            session.maxMessageBytes = try byteSize(size, what: "session.maxMessageSize")
        }
        return session
    }
}
