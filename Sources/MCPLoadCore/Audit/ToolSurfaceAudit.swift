import MCPLoadJSONRPC

/// The tool-surface audit of a run (or of `mcpload audit`): what every session had to download
/// before it could call anything, and what in it should worry whoever connects a model to it.
package struct ToolSurfaceAudit: Sendable, Equatable, Codable {
    /// `tools/list` answers the audit is built from.
    package var listings: UInt64
    /// Listings with more pages than the first (only the first page of each is audited).
    package var paginated: UInt64
    package var tools: [Tool]
    /// One session's tools array, in bytes (the largest listing seen), and all listings together.
    package var bytesPerSession: Int
    package var bytesPerRun: UInt64
    package var findings: [AuditFinding]

    package struct Tool: Sendable, Equatable, Codable {
        package var name: String
        /// Its description's UTF-8 bytes (the largest of its versions).
        package var descriptionBytes: Int
        /// Its whole definition, serialised (the largest of its versions).
        package var definitionBytes: Int
        /// Distinct definitions seen in this run: more than one is a rug pull.
        package var versions: Int
    }

    /// Tokens a model spends on a session's tool list, at the usual four bytes a token for
    /// English text and JSON: an estimate, not any one model's tokenizer.
    package var estimatedTokensPerSession: Int { (bytesPerSession + 3) / 4 }

    package var descriptionBytes: Int { tools.reduce(0) { $0 + $1.descriptionBytes } }

    package func findings(in category: AuditRule.Category) -> [AuditFinding] {
        findings.filter { $0.rule.category == category }
    }

    /// Audits everything a tally saw. Clean tools produce no findings.
    package init(_ tally: ToolSurfaceTally) {
        listings = tally.listings
        paginated = tally.paginated
        bytesPerSession = tally.largestListingBytes
        bytesPerRun = tally.totalBytes
        var findings: [AuditFinding] = []
        tools = tally.definitions.keys.sorted().map { name in
            let versions = tally.definitions[name] ?? []
            var seen = Set<AuditFinding>()
            for definition in versions {
                for finding in Self.audit(definition, name: name) where seen.insert(finding).inserted {
                    findings.append(finding)
                }
            }
            if versions.count > 1, let first = versions.first {
                let changed = Set(versions.dropFirst().flatMap { Self.changedFields(from: first, to: $0) }).sorted()
                findings.append(
                    AuditFinding(
                        tool: name, rule: .rugPull,
                        detail: "\(versions.count) different definitions within one run; changed: "
                            + changed.joined(separator: ", ")))
            }
            return Tool(
                name: AuditFinding.visible(name),
                descriptionBytes: versions.map { $0["description"]?.stringValue?.utf8.count ?? 0 }.max() ?? 0,
                definitionBytes: versions.map { JSONWriter.bytes($0).count }.max() ?? 0, versions: versions.count)
        }
        if tally.toolSets.count > 1 {
            let everywhere = tally.toolSets.dropFirst().reduce(Set(tally.toolSets[0])) { $0.intersection($1) }
            let anywhere = tally.toolSets.reduce(Set<String>()) { $0.union($1) }
            for name in anywhere.subtracting(everywhere).sorted() {
                findings.append(
                    AuditFinding(
                        tool: name, rule: .rugPull,
                        detail:
                            "listed in some sessions and missing from others (\(tally.toolSets.count) different tool lists)"
                    ))
            }
        }
        self.findings = findings.sorted { ($0.tool, $0.rule) < ($1.tool, $1.rule) }
    }

    /// Every rule but the rug pull, on one definition.
    static func audit(_ definition: JSONValue, name: String) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        visitText(in: definition, at: "") { text, location in
            findings += PoisoningSignals.findings(in: text, at: location, tool: name)
        }
        findings += SchemaLooseness.findings(in: definition["inputSchema"], tool: name)
        let annotations = definition["annotations"]
        let readOnly = annotations?["readOnlyHint"]?.boolValue
        if readOnly == nil {
            findings.append(
                AuditFinding(
                    tool: name, rule: .missingAnnotations,
                    detail: "no readOnlyHint: a client cannot tell whether calling it changes anything"))
        } else if readOnly == false, annotations?["destructiveHint"]?.boolValue == nil {
            findings.append(
                AuditFinding(
                    tool: name, rule: .missingAnnotations,
                    detail: "writes (readOnlyHint false) but has no destructiveHint: clients must assume destructive"))
        }
        return findings
    }

    /// Every string in a definition, keys too (a property's name is read by the model as well),
    /// with where it sits: `description`, `inputSchema.properties.note.description`.
    static func visitText(in value: JSONValue, at path: String, _ visit: (String, String) -> Void) {
        switch value {
        case .string(let text): visit(text, path.isEmpty ? "value" : path)
        case .array(let elements):
            for (index, element) in elements.enumerated() { visitText(in: element, at: "\(path)[\(index)]", visit) }
        case .object(let members):
            for key in members.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                visit(key, "\(child) (key)")
                if let member = members[key] { visitText(in: member, at: child, visit) }
            }
        default: break
        }
    }

    /// The top-level fields in which two definitions of a tool differ: `description`, `inputSchema`.
    static func changedFields(from old: JSONValue, to new: JSONValue) -> [String] {
        let keys = Set((old.objectValue ?? [:]).keys).union((new.objectValue ?? [:]).keys)
        return keys.filter { old[$0] != new[$0] }.sorted()
    }
}
