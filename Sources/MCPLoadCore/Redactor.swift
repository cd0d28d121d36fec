/// Removes known secret values (header credentials given to mcpload) from any text that
/// leaves the process: results, reports, logs, error messages.
public struct Redactor: Sendable, Hashable {
    public static let placeholder = "[redacted]"
    /// Values this short would redact ordinary text; nobody's credential is this short.
    static let minimumLength = 4

    private let secrets: [String]

    public init(secrets: some Sequence<String>) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = Set(secrets.filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
    }

    public static let none = Redactor(secrets: [])

    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var output = text
        for secret in secrets where output.contains(secret) {
            output = output.replacing(secret, with: Self.placeholder)
        }
        return output
    }
}

extension TargetSpec {
    /// The headers with `${ENV}` references resolved, and a redactor for their values.
    public func resolvedHeaders(
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
        return (headers, Redactor(secrets: secrets))
    }
}

extension RunResult {
    /// The same result with every secret value replaced in its free text.
    public func redacted(by redactor: Redactor) -> RunResult {
        rewritingText(redactor.redact)
    }

    /// The same result with `rewrite` applied to all its free text: status, target, failure
    /// examples, server stderr. Numbers and names are untouched.
    public func rewritingText(_ rewrite: (String) -> String) -> RunResult {
        var copy = self
        copy.statusReason = statusReason.map(rewrite)
        copy.scenario.target = rewrite(scenario.target)
        copy.totals.failures.redactExamples(rewrite)
        copy.session.setupFailures.redactExamples(rewrite)
        for index in copy.steps.indices { copy.steps[index].failures.redactExamples(rewrite) }
        for index in copy.servers.stderrTails.indices {
            copy.servers.stderrTails[index].lines = copy.servers.stderrTails[index].lines.map(rewrite)
        }
        return copy
    }
}
