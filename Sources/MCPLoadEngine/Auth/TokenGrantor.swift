import MCPLoadCore
import MCPLoadTransport

/// Makes one identity's token requests: the grant's form, the client's proof, the `resource`.
struct TokenGrantor: Sendable {
    let http: OAuthHTTP
    let endpoints: OAuthDiscovery.Endpoints
    let client: OAuthClientCredentials
    let authentication: OAuthSettings.ClientAuthentication
    let timeout: Duration

    func request(
        _ grant: TokenLifecycle.Grant, scopes: [String], refreshToken: String?
    ) async -> TokenEndpointAnswer {
        var form: [(String, String)]
        switch grant {
        case .acquire:
            form = [("grant_type", "client_credentials")]
        case .refresh:
            guard let refreshToken else { return .refused(.malformed("no refresh token held")) }
            form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        }
        if !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
        form.append(("resource", endpoints.resource))
        return await http.requestToken(at: endpoints.tokenEndpoint, form: form, proof: proof, timeout: timeout)
    }

    private var proof: OAuthHTTP.ClientProof {
        switch (authentication, client.secret) {
        case (.basic, let secret?): .basic(id: client.id, secret: secret)
        case (.post, let secret?): .post(id: client.id, secret: secret)
        default: .publicClient(id: client.id)
        }
    }
}
