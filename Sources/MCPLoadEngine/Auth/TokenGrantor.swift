import MCPLoadCore
import MCPLoadTransport

/// Makes one identity's token requests: the grant's form, the client's proof, the `resource`.
struct TokenGrantor: Sendable {
    let http: OAuthHTTP
    let endpoints: OAuthDiscovery.Endpoints
    let client: OAuthClientCredentials
    let authentication: OAuthSettings.ClientAuthentication
    let timeout: Duration
    /// `private_key_jwt`: the client's signer.
    let assertion: ClientAssertion?

    /// Throws a `token_endpoint` failure when the client's key cannot be used.
    init(
        http: OAuthHTTP, endpoints: OAuthDiscovery.Endpoints, client: OAuthClientCredentials,
        authentication: OAuthSettings.ClientAuthentication, timeout: Duration
    ) throws(Failure) {
        self.http = http
        self.endpoints = endpoints
        self.client = client
        self.authentication = authentication
        self.timeout = timeout
        if authentication == .privateKeyJWT {
            guard let pem = client.privateKey else {
                throw Failure(.tokenEndpoint, "private_key_jwt: client \(client.id) has no key")
            }
            assertion = try ClientAssertion(clientID: client.id, privateKeyPEM: pem)
        } else {
            assertion = nil
        }
    }

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
        guard let proof else { return .refused(.malformed("the client assertion could not be signed")) }
        return await http.requestToken(at: endpoints.tokenEndpoint, form: form, proof: proof, timeout: timeout)
    }

    /// How the client proves who it is, made anew for each request (an assertion is single-use).
    private var proof: OAuthHTTP.ClientProof? {
        if let assertion {
            return assertion.make(audience: endpoints.tokenEndpoint).map {
                .assertion(id: client.id, jwt: $0, type: ClientAssertion.type)
            }
        }
        switch (authentication, client.secret) {
        case (.basic, let secret?): return .basic(id: client.id, secret: secret)
        case (.post, let secret?): return .post(id: client.id, secret: secret)
        default: return .publicClient(id: client.id)
        }
    }
}
