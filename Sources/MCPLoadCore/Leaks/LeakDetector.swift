/// What kind of sensitive value a leak is: one of the built-in detectors, or a pattern the
/// scenario names (`leaks.custom`). Raw values never leave memory: reports carry a
/// redacted preview and a salted hash (issue 5's redaction, in the statistics that use these).
package struct LeakDetector: RawRepresentable, Sendable, Hashable, Codable, CodingKeyRepresentable {
    /// The name results and thresholds use: `email`, `aws-key`, or a scenario's own pattern's name.
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package static let email = LeakDetector(rawValue: "email")
    /// A payment card number that passes the Luhn check.
    package static let card = LeakDetector(rawValue: "card")
    /// An IBAN whose check digits pass mod-97.
    package static let iban = LeakDetector(rawValue: "iban")
    /// A US social security number in a valid range.
    package static let ssn = LeakDetector(rawValue: "ssn")
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    package static let awsKey = LeakDetector(rawValue: "aws-key")
    /// GitHub tokens (`ghp_…`, `github_pat_…`).
    package static let githubToken = LeakDetector(rawValue: "github-token")
    /// Slack tokens (`xoxb-…`).
    package static let slackToken = LeakDetector(rawValue: "slack-token")
    /// `sk-`-style API keys (OpenAI and others).
    package static let apiKey = LeakDetector(rawValue: "api-key")
    /// A JSON Web Token whose header decodes to JSON naming an `alg`.
    package static let jwt = LeakDetector(rawValue: "jwt")
    /// A PEM private key block.
    package static let privateKey = LeakDetector(rawValue: "private-key")
    /// A URL carrying a user and password.
    package static let urlCredentials = LeakDetector(rawValue: "url-credentials")
    /// An `Authorization: Bearer` token.
    package static let bearer = LeakDetector(rawValue: "bearer")
    /// A value the scenario planted (`{{canary}}`), to follow across sessions.
    package static let canary = LeakDetector(rawValue: "canary")

    /// The built-in detectors, in the order reports list them. A scenario's own patterns
    /// (`leaks.custom`) come after them, by name.
    package static let allCases: [LeakDetector] = [
        .email, .card, .iban, .ssn, .awsKey, .githubToken, .slackToken, .apiKey, .jwt, .privateKey, .urlCredentials,
        .bearer, .canary,
    ]

    /// The built-in detector with this name; nil for any other name.
    package static func builtIn(named name: String) -> LeakDetector? {
        allCases.first { $0.rawValue == name }
    }

    /// `detectors` in report order: the built-in ones first, then custom ones by name.
    package static func reportOrder(_ detectors: some Sequence<LeakDetector>) -> [LeakDetector] {
        let present = Set(detectors)
        return allCases.filter(present.contains)
            + present.filter { builtIn(named: $0.rawValue) == nil }.sorted { $0.rawValue < $1.rawValue }
    }
}

/// One sensitive value found in a message.
package struct LeakHit: Sendable, Hashable {
    package var detector: LeakDetector
    /// The value as found. Kept in memory for counting and cross-session matching only.
    package var value: String

    package init(detector: LeakDetector, value: String) {
        self.detector = detector
        self.value = value
    }
}
