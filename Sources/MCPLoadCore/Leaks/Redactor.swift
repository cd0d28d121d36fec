/// Removes secrets from any text that leaves the process: results, reports, logs, error messages.
///
/// Two kinds: values known to be secret (credentials given to mcpload: header values, URL
/// credentials, a stdio server's environment, arguments marked secret), replaced whole; and,
/// when the run scans for leaks, whatever a detector recognises (keys, tokens, cards), replaced
/// by its redacted preview. Text is always redacted whole before it is cut (``excerpt(_:limit:)``):
/// a secret that straddles the cut would otherwise leave its prefix behind.
package struct Redactor: Sendable {
    package static let placeholder = "[redacted]"
    /// Values this short would redact ordinary text; nobody's credential is this short.
    static let minimumLength = 4

    private let secrets: [String]
    private let patterns: LeakScanner?
    /// Tokens issued during the run (OAuth identities), looked up as they come.
    private let issued: IssuedSecrets?

    package init(secrets: some Sequence<String>, patterns: LeakScanner? = nil, issued: IssuedSecrets? = nil) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = Set(secrets.filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
        self.patterns = patterns
        self.issued = issued
    }

    package static let none = Redactor(secrets: [])

    /// The same secrets, and whatever `scanner`'s detectors recognise.
    package func recognising(_ scanner: LeakScanner?) -> Redactor {
        Redactor(secrets: secrets, patterns: scanner ?? patterns, issued: issued)
    }

    /// The same patterns, and `more` secrets.
    package func adding(_ more: some Sequence<String>) -> Redactor {
        Redactor(secrets: secrets + Array(more), patterns: patterns, issued: issued)
    }

    /// The same, and every secret `issued` will hold.
    package func watching(_ issued: IssuedSecrets) -> Redactor {
        Redactor(secrets: secrets, patterns: patterns, issued: issued)
    }

    package var isEmpty: Bool { secrets.isEmpty && patterns == nil && (issued?.isEmpty ?? true) }

    package func redact(_ text: String) -> String {
        var output = text
        for secret in secrets where output.contains(secret) {
            output = output.replacing(secret, with: Self.placeholder)
        }
        if let issued { output = issued.redact(output, placeholder: Self.placeholder) }
        if let patterns { output = patterns.redact(output) }
        return output
    }

    /// At most `limit` characters of `text`, redacted first, then cut (with `…`).
    package func excerpt(_ text: String, limit: Int) -> String {
        let redacted = redact(text)
        guard redacted.count > limit else { return redacted }
        return String(redacted.prefix(max(0, limit))) + "…"
    }

    /// At most `limit` characters of `bytes` read as UTF-8, redacted first, then cut. Reads at
    /// most `4 * limit` bytes plus the longest secret, enough for `limit` characters and any
    /// secret that starts within them.
    package func excerpt(_ bytes: some Collection<UInt8>, limit: Int) -> String {
        let room = 4 * limit + (secrets.first?.utf8.count ?? 0) + 4096
        var text = String(decoding: bytes.prefix(room), as: UTF8.self)
        if bytes.count > room { text += "…" }
        return excerpt(text, limit: limit)
    }
}

extension TargetSpec {
    /// The headers with `${ENV}` references resolved, and a redactor for their values.
    package func resolvedHeaders(
        environment: [String: String]
    ) throws(EnvironmentTemplate.MissingVariable)
        -> (headers: [(name: String, value: String)], redactor: Redactor)
    {
        var headers: [(name: String, value: String)] = []
        var secrets: [String] = []
        for name in self.headers.keys.sorted() {
            guard let template = self.headers[name] else { continue }
            let value = try template.resolve(in: environment)
            headers.append((name, value))
            secrets.append(value)
            // `Bearer abc…`: the credential alone must go too, wherever it is echoed.
            if let space = value.firstIndex(of: " ") { secrets.append(String(value[value.index(after: space)...])) }
            for variable in template.variables { if let secret = environment[variable] { secrets.append(secret) } }
        }
        return (headers, Redactor(secrets: secrets + launchSecrets))
    }

    /// Values of the target other than headers that are secrets: a URL's user information and
    /// query values, the server's environment values, and arguments marked secret. Environment
    /// values shorter than 8 characters (`1`, `true`, `debug`) are settings, not credentials:
    /// redacting them would garble every message that happens to contain the word.
    package var launchSecrets: [String] {
        var secrets = environment.values.filter { $0.count >= 8 } + secretArguments
        switch launch {
        case .url(let endpoint), .httpCommand(_, let endpoint):
            secrets += URLSecrets.of(endpoint)
        case .command, .builtinDemo:
            break
        }
        return secrets
    }
}

/// The parts of a URL that carry credentials: `user:password@` and query values
/// (`?token=…&api_key=…`). Parsed by hand because Foundation's URL is not in this module, and
/// only these two parts matter.
enum URLSecrets {
    static func of(_ url: String) -> [String] {
        var secrets: [String] = []
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            secrets.append(String(userinfo))
            secrets += userinfo.split(separator: ":").map(String.init)
        }
        if let question = url.firstIndex(of: "?") {
            let query = url[url.index(after: question)...].prefix { $0 != "#" }
            for pair in query.split(separator: "&") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                secrets.append(String(pair[pair.index(after: equals)...]))
            }
        }
        return secrets
    }
}

extension RunResult {
    /// The same result with every secret value replaced in its free text.
    package func redacted(by redactor: Redactor) -> RunResult {
        rewritingText(redactor.redact)
    }

    /// The same result with `rewrite` applied to all its free text: status, target, failure
    /// examples, server stderr, why the server's session count could not be read. Numbers and names are untouched.
    package func rewritingText(_ rewrite: (String) -> String) -> RunResult {
        var copy = self
        copy.statusReason = statusReason.map(rewrite)
        copy.scenario.target = rewrite(scenario.target)
        copy.serverSessions?.firstFailure = serverSessions?.firstFailure.map(rewrite)
        copy.totals.failures.redactExamples(rewrite)
        copy.session.setupFailures.redactExamples(rewrite)
        for index in copy.steps.indices { copy.steps[index].failures.redactExamples(rewrite) }
        for index in copy.servers.stderrTails.indices {
            copy.servers.stderrTails[index].lines = copy.servers.stderrTails[index].lines.map(rewrite)
        }
        return copy
    }
}
