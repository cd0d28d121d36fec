import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport

/// Finds the token endpoint as the MCP authorization spec has clients do, once per run: the
/// resource's 401 challenge (or its well-known URIs) → protected resource metadata (RFC 9728)
/// → authorization server metadata (RFC 8414, then OpenID discovery), the issuer checked.
struct OAuthDiscovery {
    let http: OAuthHTTP
    let timeout: Duration

    /// Where tokens come from, for which resource, with which scopes.
    struct Endpoints: Sendable, Equatable {
        var tokenEndpoint: String
        /// The `resource` parameter of every token request (RFC 8707).
        var resource: String
        var scopes: [String]
    }

    func endpoints(for settings: OAuthSettings, mcpEndpoint: String) async throws(Failure) -> Endpoints {
        let resource = settings.resource ?? mcpEndpoint
        switch settings.discovery {
        case .tokenEndpoint(let url):
            return Endpoints(tokenEndpoint: url, resource: resource, scopes: settings.scopes)
        case .issuer(let issuer):
            let metadata = try await authorizationServer(issuer)
            return Endpoints(
                tokenEndpoint: metadata.tokenEndpoint, resource: resource,
                scopes: settings.scopes.isEmpty ? metadata.scopes : settings.scopes)
        case .fromChallenge:
            return try await fromChallenge(settings, mcpEndpoint: mcpEndpoint)
        }
    }

    private func fromChallenge(_ settings: OAuthSettings, mcpEndpoint: String) async throws(Failure) -> Endpoints {
        var challenge: BearerChallenge?
        var answered = ""
        switch await http.challenge(of: mcpEndpoint, timeout: timeout) {
        case .success((401, let found)): challenge = found
        // Not the 401 the spec asks for (a server that checks the session first, say): the
        // well-known URIs may still hold the metadata.
        case .success((let status, _)): answered = " (the MCP endpoint answered \(status) without credentials, not 401)"
        case .failure(let failure): throw self.failure("the MCP endpoint: \(failure.message)")
        }
        let candidates =
            challenge?.resourceMetadata.map { [$0] } ?? WellKnownURL.protectedResourceMetadata(for: mcpEndpoint)
        var tried: [String] = []
        for url in candidates {
            tried.append(url)
            guard case .success((200, let value?)) = await http.document(at: url, timeout: timeout) else { continue }
            guard let issuer = value["authorization_servers"]?.arrayValue?.first?.stringValue else {
                throw failure("the protected resource metadata at \(url) names no authorization server")
            }
            let resource = settings.resource ?? value["resource"]?.stringValue ?? mcpEndpoint
            let metadata = try await authorizationServer(issuer)
            let offered = value["scopes_supported"]?.arrayValue?.compactMap(\.stringValue) ?? metadata.scopes
            let scopes =
                !settings.scopes.isEmpty
                ? settings.scopes : (challenge?.scopes).flatMap { $0.isEmpty ? nil : $0 } ?? offered
            return Endpoints(tokenEndpoint: metadata.tokenEndpoint, resource: resource, scopes: scopes)
        }
        throw failure("no protected resource metadata at \(tried.joined(separator: ", "))" + answered)
    }

    private struct ServerMetadata {
        var tokenEndpoint: String
        var scopes: [String]
    }

    /// The first metadata document found for `issuer`, whose `issuer` must be `issuer` itself
    /// (RFC 8414 §3.3: otherwise an attacker's metadata could redirect the tokens).
    private func authorizationServer(_ issuer: String) async throws(Failure) -> ServerMetadata {
        let candidates = WellKnownURL.authorizationServerMetadata(for: issuer)
        guard !candidates.isEmpty else { throw failure("the issuer \(issuer) is not an http(s) URL") }
        for url in candidates {
            guard case .success((200, let value?)) = await http.document(at: url, timeout: timeout) else { continue }
            guard let stated = value["issuer"]?.stringValue, Self.sameIssuer(stated, issuer) else {
                throw failure(
                    "the metadata at \(url) states issuer \(value["issuer"]?.stringValue ?? "none"), not \(issuer)")
            }
            guard let endpoint = value["token_endpoint"]?.stringValue,
                endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://")
            else { throw failure("the metadata at \(url) names no token endpoint") }
            return ServerMetadata(
                tokenEndpoint: endpoint, scopes: value["scopes_supported"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        throw failure("no authorization server metadata for \(issuer) at \(candidates.joined(separator: ", "))")
    }

    /// Issuers compare as written but for a trailing slash, which servers add or leave out.
    static func sameIssuer(_ lhs: String, _ rhs: String) -> Bool {
        func trimmed(_ text: String) -> Substring {
            var text = Substring(text)
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return trimmed(lhs) == trimmed(rhs)
    }

    private func failure(_ message: String) -> Failure {
        Failure(.tokenEndpoint, "OAuth discovery: " + message)
    }
}
