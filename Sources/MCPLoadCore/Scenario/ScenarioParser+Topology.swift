import Yams

extension ScenarioParser {
    /// `topology:` and `proxy:` of a target or a matrix row; nil when neither is written.
    func parseTopology(_ fields: YAMLFields, context: String) throws(ScenarioError) -> StdioTopology? {
        let proxyNode = fields["proxy"]
        guard let topologyNode = fields["topology"] else {
            if let proxyNode { throw error(at: proxyNode, "'proxy' needs 'topology: shared-process' beside it") }
            return nil
        }
        switch try string(topologyNode) {
        case "process-per-client":
            if let proxyNode {
                throw error(at: proxyNode, "'proxy' needs 'topology: shared-process', not process-per-client")
            }
            return .processPerClient
        case "shared-process":
            return .sharedProcess(
                try proxyNode.map { node throws(ScenarioError) in try parseProxy(node, context: context) }
                    ?? FanInSettings())
        case let name:
            throw error(
                at: topologyNode,
                "topology '\(name)' is not one of \(StdioTopology.names.joined(separator: ", "))")
        }
    }

    private func parseProxy(_ node: Node, context: String) throws(ScenarioError) -> FanInSettings {
        let fields = try mapping(node, context: "\(context).proxy")
        try checkKeys(fields, allowed: ["ids", "initialize", "route", "processes"], context: "\(context).proxy")
        var settings = FanInSettings()
        if let ids = fields["ids"] { settings.ids = try choice(ids, what: "\(context).proxy.ids") }
        if let initialize = fields["initialize"] {
            settings.initialize = try choice(initialize, what: "\(context).proxy.initialize")
        }
        if let route = fields["route"] { settings.route = try choice(route, what: "\(context).proxy.route") }
        if let processes = fields["processes"] {
            settings.processes = try integer(processes, minimum: 1, maximum: 10_000, what: "\(context).proxy.processes")
        }
        return settings
    }

    private func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node, what: String
    ) throws(ScenarioError)
        -> Choice
    where Choice.RawValue == String {
        let name = try string(node)
        guard let known = Choice(rawValue: name) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(at: node, "\(what) '\(name)' is not one of \(names)")
        }
        return known
    }

    /// `matrix:`: a list of rows, each a label with the transport or topology it changes.
    func parseMatrix(_ node: Node, base: TargetSpec) throws(ScenarioError) -> [MatrixRow] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw error(at: node, "matrix must be a list of rows, e.g. - { label: over http, transport: http }")
        }
        var rows: [MatrixRow] = []
        for rowNode in sequence {
            let fields = try mapping(rowNode, context: "a matrix row")
            try checkKeys(
                fields,
                allowed: [
                    "label", "about", "transport", "topology", "proxy", "url", "protocolVersion", "args", "delete",
                    "authMode",
                ],
                context: "a matrix row")
            guard let labelNode = fields["label"] else { throw error(at: rowNode, "a matrix row needs a 'label'") }
            var row = MatrixRow(label: try string(labelNode))
            guard !row.label.isEmpty, !rows.contains(where: { $0.label == row.label }) else {
                throw error(at: labelNode, "matrix labels must be distinct and not empty")
            }
            row.about = try fields["about"].map { node throws(ScenarioError) in try string(node) }
            if let transportNode = fields["transport"] {
                let name = try string(transportNode)
                guard let transport = TargetSpec.Transport(rawValue: name) else {
                    let names = TargetSpec.Transport.allCases.map(\.rawValue).joined(separator: ", ")
                    throw error(at: transportNode, "transport '\(name)' is not one of \(names)")
                }
                row.transport = transport
            }
            if let urlNode = fields["url"] {
                let url = try string(urlNode)
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw error(at: urlNode, "url must start with http:// or https://, not \"\(url)\"")
                }
                switch base.launch {
                case .url, .httpCommand: row.url = url
                default: throw error(at: urlNode, "a row's 'url' replaces the target's; this target has no url")
                }
            }
            row.protocolVersion = try fields["protocolVersion"].map { node throws(ScenarioError) in try string(node) }
            row.endWithDelete = try fields["delete"].map { node throws(ScenarioError) in
                try boolean(node, what: "a matrix row's 'delete'")
            }
            if let argumentsNode = fields["args"] {
                if case .url = base.launch {
                    throw error(
                        at: argumentsNode, "a row's 'args' go to a server mcpload starts; this target has a url only")
                }
                let words = try commandWords(argumentsNode, what: "args")
                guard words.secrets.isEmpty else {
                    throw error(at: argumentsNode, "a row's 'args' take no secrets; put them in the target's 'args'")
                }
                row.extraArguments = words.values
            }
            if let modeNode = fields["authMode"] {
                switch try string(modeNode) {
                case "naive": row.naiveAuth = true
                case "proactive": row.naiveAuth = false
                case let other: throw error(at: modeNode, "a row's 'authMode' is naive or proactive, not '\(other)'")
                }
            }
            row.topology = try parseTopology(fields, context: "matrix")
            if row.topology != nil, (row.transport ?? base.transport) != .stdio {
                throw error(at: rowNode, "'topology' applies to stdio rows; this row is not stdio")
            }
            rows.append(row)
        }
        return rows
    }
}
