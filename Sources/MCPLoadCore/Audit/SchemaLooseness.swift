import MCPLoadJSONRPC

/// Loose input schemas: what lets a caller (or a model steered by a poisoned description) put
/// anything into a call. Checked from the top of `inputSchema` down through nested objects and
/// array items.
enum SchemaLooseness {
    static func findings(in schema: JSONValue?, tool: String) -> [AuditFinding] {
        guard let schema else {
            return [AuditFinding(tool: tool, rule: .openProperties, detail: "no inputSchema: any arguments pass")]
        }
        var findings: [AuditFinding] = []
        walk(schema, path: "inputSchema", tool: tool, isTop: true, into: &findings)
        return findings
    }

    private static func walk(
        _ schema: JSONValue, path: String, tool: String, isTop: Bool, into findings: inout [AuditFinding]
    ) {
        let types = Set(typeNames(schema))
        if types.contains("object") || schema["properties"] != nil {
            if !isTop {
                findings.append(AuditFinding(tool: tool, rule: .nestedObject, detail: "\(path) is a nested object"))
            }
            if schema["additionalProperties"]?.boolValue != false {
                findings.append(
                    AuditFinding(
                        tool: tool, rule: .openProperties,
                        detail: "\(path) accepts properties it does not name (additionalProperties is not false)"))
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in properties.keys.sorted() {
                guard let property = properties[name] else { continue }
                walk(property, path: "\(path).\(name)", tool: tool, isTop: false, into: &findings)
            }
        }
        if types.contains("string") && !isConstrainedString(schema) {
            findings.append(
                AuditFinding(
                    tool: tool, rule: .freeString,
                    detail: "\(path) is a free string (no enum, const, maxLength, pattern or format)"))
        }
        if types.contains("array"), let items = schema["items"] {
            walk(items, path: "\(path)[]", tool: tool, isTop: false, into: &findings)
        }
    }

    /// `type` as a list: JSON Schema allows a name or an array of names.
    private static func typeNames(_ schema: JSONValue) -> [String] {
        switch schema["type"] {
        case .string(let name)?: [name]
        case .array(let names)?: names.compactMap(\.stringValue)
        default: []
        }
    }

    private static func isConstrainedString(_ schema: JSONValue) -> Bool {
        ["enum", "const", "maxLength", "pattern", "format"].contains { schema[$0] != nil }
    }
}
