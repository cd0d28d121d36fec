import Yams

/// `auth:` with its files read and `${VAR}` filled in: the credentials of every identity, found
/// before any load (a missing file or variable is bad input, not a run full of failures), and
/// every value among them a secret for the run's redactor.
package struct ResolvedAuth: Sendable {
    package var settings: AuthSettings
    /// `tokens: { file: … }`: one static access token per identity, in order.
    package var tokens: [String] = []
    /// `oauth`: one client per identity, in order.
    package var clients: [OAuthClientCredentials] = []

    /// Every credential value: never shown anywhere.
    package var secrets: [String] {
        tokens + clients.flatMap { [$0.secret, $0.refreshToken, $0.privateKey].compactMap { $0 } }
    }

    /// How many identities the run has for `virtualClients` clients in all (every shard's).
    package func identityCount(virtualClients: Int) -> Int {
        settings.identities ?? virtualClients
    }

    /// Reads the files `settings` names (through `readFile`) and fills in `environment`; checks
    /// there are credentials for each of `identities` identities.
    package static func resolve(
        _ settings: AuthSettings, identities: Int, environment: [String: String],
        readFile: (String) throws -> String
    ) throws(AuthSetupError) -> ResolvedAuth {
        var resolved = ResolvedAuth(settings: settings)
        switch settings.credentials {
        case .tokenFile(let path):
            let file = try fill(path, environment, what: "auth.tokens.file")
            let text = try read(file, readFile, what: "auth.tokens.file")
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            // A line may name its token in the environment (`${TENANT_A_TOKEN}`).
            for (number, line) in lines.enumerated() {
                let template: EnvironmentTemplate
                do {
                    template = try EnvironmentTemplate(parsing: line)
                } catch {
                    throw AuthSetupError("auth.tokens.file \(file), token \(number + 1): \(error.message)")
                }
                resolved.tokens.append(
                    try fill(template, environment, what: "auth.tokens.file \(file), token \(number + 1)"))
            }
            guard resolved.tokens.count >= identities else {
                throw AuthSetupError(
                    "auth.tokens.file \(file) holds \(resolved.tokens.count) tokens for \(identities) identities")
            }
        case .oauth(let oauth):
            resolved.clients = try clients(oauth, identities: identities, environment: environment, readFile: readFile)
            for (index, client) in resolved.clients.enumerated() {
                if oauth.grant == .refreshToken && client.refreshToken == nil {
                    throw AuthSetupError(
                        "auth.oauth: grant refresh_token needs a refreshToken for every client; client \(index + 1) has none"
                    )
                }
                if oauth.clientAuthentication == .privateKeyJWT {
                    guard client.privateKey != nil else {
                        throw AuthSetupError(
                            "auth.oauth: private_key_jwt needs a key file for every client; client \(index + 1) (\(client.id)) has none"
                        )
                    }
                } else if oauth.clientAuthentication != .none && client.secret == nil {
                    throw AuthSetupError(
                        "auth.oauth: \(oauth.clientAuthentication.rawValue) needs a secret for every client; client \(index + 1) (\(client.id)) has none"
                    )
                }
            }
        }
        return resolved
    }

    private static func clients(
        _ oauth: OAuthSettings, identities: Int, environment: [String: String], readFile: (String) throws -> String
    ) throws(AuthSetupError) -> [OAuthClientCredentials] {
        let templates: [(OAuthSettings.ClientTemplate, Int)]
        switch oauth.clients {
        case .generated(let count, let template):
            guard count >= identities else {
                throw AuthSetupError("auth.oauth.clients.count is \(count) for \(identities) identities")
            }
            templates = (1...count).map { (template, $0) }
        case .list(let list):
            templates = list.enumerated().map { ($0.element, $0.offset + 1) }
        case .file(let path):
            let file = try fill(path, environment, what: "auth.oauth.clients.file")
            let text = try read(file, readFile, what: "auth.oauth.clients.file")
            templates = try parseClientFile(text, file: file).enumerated().map { ($0.element, $0.offset + 1) }
        }
        guard templates.count >= identities else {
            throw AuthSetupError("auth.oauth.clients lists \(templates.count) clients for \(identities) identities")
        }
        var clients: [OAuthClientCredentials] = []
        for (template, number) in templates.prefix(identities) {
            func value(_ field: EnvironmentTemplate?, _ name: String) throws(AuthSetupError) -> String? {
                guard let field else { return nil }
                return try fill(field, environment, what: "auth.oauth.clients[\(number)].\(name)")
                    .replacing("{{identity}}", with: String(number))
            }
            guard let id = try value(template.id, "id"), !id.isEmpty else {
                throw AuthSetupError("auth.oauth.clients[\(number)] has an empty id")
            }
            var client = OAuthClientCredentials(
                id: id, secret: try value(template.secret, "secret"),
                refreshToken: try value(template.refreshToken, "refreshToken"))
            if let path = try value(template.key, "key") {
                client.privateKey = try read(path, readFile, what: "auth.oauth.clients[\(number)].key")
            }
            clients.append(client)
        }
        return clients
    }

    /// Every client of a clients file, its `${VAR}` filled in (the demo's `--oauth-clients-file`).
    package static func clients(
        inFile text: String, file: String, environment: [String: String]
    ) throws(AuthSetupError)
        -> [OAuthClientCredentials]
    {
        var clients: [OAuthClientCredentials] = []
        for (offset, template) in try parseClientFile(text, file: file).enumerated() {
            let what = "\(file), client \(offset + 1)"
            var client = OAuthClientCredentials(id: try fill(template.id, environment, what: what + " id"))
            if let secret = template.secret { client.secret = try fill(secret, environment, what: what + " secret") }
            clients.append(client)
        }
        return clients
    }

    /// A clients file: a YAML list of `{ id, secret, refreshToken }`.
    static func parseClientFile(_ text: String, file: String) throws(AuthSetupError) -> [OAuthSettings.ClientTemplate] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw AuthSetupError("\(file): not YAML (\(error))")
        }
        guard let root, case .sequence(let sequence) = root else {
            throw AuthSetupError("\(file): the clients file is a list of { id, secret }")
        }
        let parser = ScenarioParser(file: file)
        var clients: [OAuthSettings.ClientTemplate] = []
        for element in sequence {
            do {
                clients.append(try parser.parseClient(element, context: "a client"))
            } catch {
                throw AuthSetupError(error.description)
            }
        }
        return clients
    }

    private static func fill(
        _ template: EnvironmentTemplate, _ environment: [String: String], what: String
    )
        throws(AuthSetupError) -> String
    {
        do {
            return try template.resolve(in: environment)
        } catch {
            throw AuthSetupError("\(what) refers to ${\(error.name)}, which is not set in the environment")
        }
    }

    private static func read(
        _ path: String, _ readFile: (String) throws -> String, what: String
    )
        throws(AuthSetupError) -> String
    {
        do {
            return try readFile(path)
        } catch {
            throw AuthSetupError("\(what): cannot read \(path)")
        }
    }
}

/// One identity's OAuth client. Its secret and refresh token are never shown.
package struct OAuthClientCredentials: Sendable, Equatable {
    package var id: String
    package var secret: String?
    package var refreshToken: String?
    /// `private_key_jwt`: the client's private key, as its PEM file holds it.
    package var privateKey: String?

    package init(id: String, secret: String? = nil, refreshToken: String? = nil) {
        self.id = id
        self.secret = secret
        self.refreshToken = refreshToken
    }
}

/// `auth:` cannot be set up: a file, a variable or a count is missing. Phrased for the user.
package struct AuthSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
