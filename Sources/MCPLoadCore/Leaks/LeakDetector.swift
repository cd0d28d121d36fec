/// What kind of sensitive value a leak is. Raw values never leave memory: reports carry a
/// redacted preview and a salted hash (issue 5's redaction, in the statistics that use these).
public enum LeakDetector: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
    case email
    /// A payment card number that passes the Luhn check.
    case card
    /// An IBAN whose check digits pass mod-97.
    case iban
    /// A US social security number in a valid range.
    case ssn
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    case awsKey = "aws-key"
    /// GitHub tokens (`ghp_…`, `github_pat_…`).
    case githubToken = "github-token"
    /// Slack tokens (`xoxb-…`).
    case slackToken = "slack-token"
    /// `sk-`-style API keys (OpenAI and others).
    case apiKey = "api-key"
    /// A JSON Web Token whose header decodes to JSON naming an `alg`.
    case jwt
    /// A PEM private key block.
    case privateKey = "private-key"
    /// A URL carrying a user and password.
    case urlCredentials = "url-credentials"
    /// An `Authorization: Bearer` token.
    case bearer
    /// A value the scenario planted (`{{canary}}`), to follow across sessions.
    case canary
}

/// One sensitive value found in a message.
public struct LeakHit: Sendable, Hashable {
    public var detector: LeakDetector
    /// The value as found. Kept in memory for counting and cross-session matching only.
    public var value: String

    public init(detector: LeakDetector, value: String) {
        self.detector = detector
        self.value = value
    }
}
