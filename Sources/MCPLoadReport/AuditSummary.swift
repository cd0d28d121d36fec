import MCPLoadCore

/// The tool-surface audit as text: the terminal summary's section, and what `mcpload audit` prints.
package enum AuditSummary {
    package static func render(_ audit: ToolSurfaceAudit) -> [String] {
        let count = audit.tools.count
        var lines = [
            "tool surface: \(count) \(count == 1 ? "tool" : "tools"), \(audit.descriptionBytes) bytes of descriptions; "
                + "\(ByteSizeText.format(UInt64(audit.bytesPerSession))) (~\(audit.estimatedTokensPerSession) tokens) "
                + "per session, \(ByteSizeText.format(audit.bytesPerRun)) over \(audit.listings) "
                + "\(audit.listings == 1 ? "listing" : "listings")"
        ]
        if audit.paginated > 0 {
            lines.append("  \(audit.paginated) listings had more pages: only the first page of each was audited")
        }
        guard !audit.findings.isEmpty else {
            lines.append("  no findings: no poisoning signals, loose schemas, missing annotations or rug pulls")
            return lines
        }
        lines.append("  \(audit.findings.count) findings: " + categoryCounts(audit))
        var table = TextTable(header: ["tool", "rule", "what"], leftAligned: [0, 1, 2])
        for finding in audit.findings {
            table.rows.append([finding.tool, finding.rule.rawValue, finding.detail])
        }
        lines.append(table.render())
        return lines
    }

    /// `poisoning 6, schema 5, annotations 1`: the categories with findings.
    static func categoryCounts(_ audit: ToolSurfaceAudit) -> String {
        AuditRule.Category.allCases.compactMap { category -> String? in
            let found = audit.findings(in: category).count
            return found == 0 ? nil : "\(category.rawValue) \(found)"
        }.joined(separator: ", ")
    }
}
