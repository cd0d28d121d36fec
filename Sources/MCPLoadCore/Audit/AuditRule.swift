/// The rules the tool-surface audit applies to every tool a server lists. Each finding names one.
package enum AuditRule: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    // Poisoning: text a model reads that a person reviewing the tool does not see, or that
    // speaks to the model rather than describing the tool.
    case hiddenUnicode = "hidden-unicode"
    case instructionTag = "instruction-tag"
    case overridePhrase = "override-phrase"
    case sensitivePath = "sensitive-path"
    case base64Blob = "base64-blob"
    // Loose input schemas: what lets a poisoned tool carry anything away in an argument.
    case nestedObject = "nested-object"
    case freeString = "free-string"
    case openProperties = "open-properties"
    // Annotations a client needs to decide whether a call may change something.
    case missingAnnotations = "missing-annotations"
    // A definition that changed between sessions of one run.
    case rugPull = "rug-pull"

    package enum Category: String, Sendable, Codable, CaseIterable {
        case poisoning, schema, annotations
        case rugPull = "rug_pull"
    }

    package var category: Category {
        switch self {
        case .hiddenUnicode, .instructionTag, .overridePhrase, .sensitivePath, .base64Blob: .poisoning
        case .nestedObject, .freeString, .openProperties: .schema
        case .missingAnnotations: .annotations
        case .rugPull: .rugPull
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One thing the audit found: the tool, the rule, and where and what.
package struct AuditFinding: Sendable, Hashable, Codable {
    package var tool: String
    package var rule: AuditRule
    package var detail: String

    /// The tool's name and the detail are kept printable: a hostile server's names can hold
    /// invisible or control characters, and a report must show them, not pass them on to a terminal.
    package init(tool: String, rule: AuditRule, detail: String) {
        self.tool = Self.visible(tool)
        self.rule = rule
        self.detail = Self.visible(detail)
    }

    /// `text` with control, format and other invisible code points written out as `\u{200B}`.
    package static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned: true
        default: scalar.value == 0x180E || (0xE0000...0xE007F).contains(scalar.value)
        }
    }
}
