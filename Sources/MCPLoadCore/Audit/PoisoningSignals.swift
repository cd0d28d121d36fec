/// Poisoning signals in one piece of a tool's text (its name, description, a parameter's
/// description, an enum value): the tricks published tool-poisoning attacks use.
///
/// Details name what was found by our own words (a code point, a tag name, the phrase or path
/// pattern that matched, a blob's length and ends), never by echoing the tool's text: a
/// report must not carry a hidden instruction on to whoever reads it, or to a model.
enum PoisoningSignals {
    static func findings(in text: String, at location: String, tool: String) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        func add(_ rule: AuditRule, _ detail: String) {
            findings.append(AuditFinding(tool: tool, rule: rule, detail: "\(location): \(detail)"))
        }
        if let hidden = hiddenScalars(in: text) { add(.hiddenUnicode, hidden) }
        let lowered = text.lowercased()
        if let tag = instructionTag(in: lowered) { add(.instructionTag, "an <\(tag)> tag addressed to the model") }
        let words = lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if let phrase = overridePhrases.first(where: words.contains) { add(.overridePhrase, "\"\(phrase)\"") }
        if let path = sensitivePath(in: lowered) { add(.sensitivePath, "names \(path)") }
        if let blob = base64Blob(in: text) { add(.base64Blob, blob) }
        return findings
    }

    /// `3 invisible code points, first U+200B (zero-width space)`; nil when there are none.
    static func hiddenScalars(in text: String) -> String? {
        var count = 0
        var first: (Unicode.Scalar, String)?
        for scalar in text.unicodeScalars {
            guard let kind = invisibleKind(scalar) else { continue }
            count += 1
            if first == nil { first = (scalar, kind) }
        }
        guard let (scalar, kind) = first else { return nil }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        return count == 1
            ? "an invisible code point, \(code) (\(kind))"
            : "\(count) invisible code points, first \(code) (\(kind))"
    }

    private static func invisibleKind(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x200B: "zero-width space"
        case 0x200C, 0x200D: "zero-width joiner"
        case 0x2060, 0xFEFF: "zero-width no-break space"
        case 0x180E: "Mongolian vowel separator"
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: "bidirectional control"
        case 0xE0000...0xE007F: "tag character"
        // Terminal escapes hide text from a person reading in a terminal, not from the model.
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: "control character"
        default: nil
        }
    }

    /// Tags a model is told to obey (`<IMPORTANT>`, `</system>`), the word in lower case.
    static func instructionTag(in lowered: String) -> String? {
        var rest = Substring(lowered)
        while let open = rest.firstIndex(of: "<") {
            var name = rest[rest.index(after: open)...].drop { $0 == "/" || $0 == " " }
            name = name.prefix { $0.isLetter || $0 == "_" || $0 == "-" }
            let after = rest[name.endIndex...].first
            if instructionTags.contains(String(name)), after == ">" || after == " " { return String(name) }
            rest = rest[rest.index(after: open)...]
        }
        return nil
    }

    static let instructionTags: Set<String> = [
        "important", "system", "instructions", "instruction", "secret", "hidden", "admin", "override", "critical",
        "system_prompt", "assistant", "user",
    ]

    /// Lower case, single spaces: compared against the text with its whitespace collapsed.
    static let overridePhrases = [
        "ignore previous instructions", "ignore all previous", "ignore the previous", "ignore prior instructions",
        "ignore the above", "ignore all instructions", "disregard previous", "disregard all previous",
        "disregard the above", "forget previous instructions", "forget all previous", "do not tell the user",
        "don't tell the user", "do not mention", "don't mention", "without telling the user",
        "not inform the user", "hide this from the user", "never reveal", "your system prompt",
        "new instructions:", "before using this tool, read", "before using any tool",
    ]

    /// Paths to credentials and client configuration that a tool has no reason to name.
    static func sensitivePath(in lowered: String) -> String? {
        for path in sensitivePaths where lowered.contains(path) { return path }
        // `.env` as a file name, not as the start of `.environment`.
        var rest = Substring(lowered)
        while let range = rest.range(of: ".env") {
            let next = rest[range.upperBound...].first
            if next == nil || !(next?.isLetter ?? false) { return ".env" }
            rest = rest[range.upperBound...]
        }
        return nil
    }

    static let sensitivePaths = [
        "~/.ssh", ".ssh/", "id_rsa", "id_ed25519", "id_ecdsa", "/etc/passwd", "/etc/shadow", ".aws/credentials",
        "~/.aws", ".npmrc", ".netrc", ".git-credentials", ".docker/config.json", ".kube/config", "mcp.json",
        "claude_desktop_config", ".cursor/", "credentials.json", "/proc/self/environ",
    ]

    /// A long run of base64 (48 or more characters with upper case, lower case and digits, so
    /// hexadecimal hashes and long words pass): `96 characters, aWdub3Jl…ZW5k`.
    static func base64Blob(in text: String) -> String? {
        var run: [Unicode.Scalar] = []
        func judge() -> String? {
            defer { run.removeAll(keepingCapacity: true) }
            guard run.count >= 48,
                run.contains(where: { ("A"..."Z").contains($0) }),
                run.contains(where: { ("a"..."z").contains($0) }),
                run.contains(where: { ("0"..."9").contains($0) })
            else { return nil }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: run.prefix(8))
            let head = String(view)
            view = String.UnicodeScalarView()
            view.append(contentsOf: run.suffix(4))
            return "\(run.count) characters, \(head)…\(String(view))"
        }
        for scalar in text.unicodeScalars {
            if ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "+" || scalar == "/" || scalar == "="
            {
                run.append(scalar)
            } else if let blob = judge() {
                return blob
            }
        }
        return judge()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
