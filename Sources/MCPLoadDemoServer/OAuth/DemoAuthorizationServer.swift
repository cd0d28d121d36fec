import Foundation
import HTTPTypes
import Hummingbird
import MCPLoadCore
import MCPLoadJSONRPC

/// The demo's authorization server and its metadata documents, on the MCP server's own origin:
/// `POST /token` (client credentials with `client_secret_basic` or `client_secret_post`, and
/// rotated refresh tokens), RFC 8414 metadata at `/.well-known/oauth-authorization-server`, and
/// the protected resource's RFC 9728 metadata at `/.well-known/oauth-protected-resource[/mcp]`.
struct DemoAuthorizationServer: Sendable {
    let options: DemoOAuthOptions
    let store: DemoTokenStore
    let capacity: TokenEndpointCapacity?

    init(options: DemoOAuthOptions) {
        self.options = options
        store = DemoTokenStore(options: options)
        capacity = options.tokenConcurrency.map(TokenEndpointCapacity.init(limit:))
    }

    static let maximumBodyBytes = 64 << 10

    /// The origin a request reached, as the issuer and the resource are named.
    static func origin(of request: Request) -> String {
        "http://" + (request.head.authority ?? "127.0.0.1")
    }

    static func resource(of request: Request) -> String { origin(of: request) + "/mcp" }

    func protectedResourceMetadata(_ request: Request) -> Response {
        json(
            .ok,
            .object([
                "resource": .string(Self.resource(of: request)),
                "authorization_servers": .array([.string(Self.origin(of: request))]),
                "scopes_supported": .array(options.scopesSupported.map(JSONValue.string)),
                "bearer_methods_supported": .array([.string("header")]),
            ]))
    }

    func authorizationServerMetadata(_ request: Request) -> Response {
        let origin = Self.origin(of: request)
        return json(
            .ok,
            .object([
                "issuer": .string(origin),
                "token_endpoint": .string(origin + "/token"),
                "grant_types_supported": .array([.string("client_credentials"), .string("refresh_token")]),
                "token_endpoint_auth_methods_supported": .array(
                    [
                        .string("client_secret_basic"), .string("client_secret_post"), .string("private_key_jwt"),
                        .string("none"),
                    ]),
                "token_endpoint_auth_signing_alg_values_supported": .array([.string("ES256")]),
                "scopes_supported": .array(options.scopesSupported.map(JSONValue.string)),
                "response_types_supported": .array([]),
            ]))
    }

    func token(_ incoming: Request) async -> Response {
        var reading = incoming
        guard let body = try? await reading.collectBody(upTo: Self.maximumBodyBytes) else {
            return oauthError(.badRequest, "invalid_request")
        }
        let request = reading
        let fields = FormEncoding.decode(String(decoding: body.readableBytesView, as: UTF8.self))
        guard let capacity else { return await answer(request, fields) }
        return await capacity.serve { await answer(request, fields) }
    }

    private func answer(_ request: Request, _ fields: [String: String]) async -> Response {
        if options.tokenLatency > .zero { try? await Task.sleep(for: options.tokenLatency) }
        if await store.injectsError() {
            await store.count("injected_503")
            return oauthError(.serviceUnavailable, "temporarily_unavailable")
        }
        guard let client = await authenticate(request, fields) else {
            await store.count("invalid_client")
            var response = oauthError(.unauthorized, "invalid_client")
            response.headers[.wwwAuthenticate] = "Basic realm=\"mcpload-demo\""
            return response
        }
        let resource = fields["resource"]
        if let resource, resource != Self.resource(of: request) {
            await store.count("invalid_target")
            return oauthError(.badRequest, "invalid_target")
        }
        switch fields["grant_type"] {
        case "client_credentials":
            guard client.authenticated else { return oauthError(.unauthorized, "invalid_client") }
            let asked = Set((fields["scope"] ?? options.scope).split(separator: " ").map(String.init))
            guard asked.isSubset(of: Set(options.scopesSupported)) else {
                await store.count("invalid_scope")
                return oauthError(.badRequest, "invalid_scope")
            }
            let issued = await store.issue(client: client.id, resource: resource, scopes: asked)
            await store.count("client_credentials")
            return tokenAnswer(access: issued.access, refresh: issued.refresh, scopes: asked)
        case "refresh_token":
            guard let refreshToken = fields["refresh_token"] else { return oauthError(.badRequest, "invalid_request") }
            switch await store.refresh(refreshToken, client: client.id, resource: resource) {
            case .issued(let access, let refresh, let scopes):
                await store.count("refresh_token")
                return tokenAnswer(access: access, refresh: refresh, scopes: scopes)
            case .invalidGrant(let reused):
                await store.count(reused ? "refresh_reused" : "invalid_grant")
                return oauthError(.badRequest, "invalid_grant")
            }
        default:
            await store.count("unsupported_grant_type")
            return oauthError(.badRequest, "unsupported_grant_type")
        }
    }

    private struct Client {
        var id: String
        /// A secret was presented and matched; false for a public client's bare id.
        var authenticated: Bool
    }

    /// `client_secret_basic` (RFC 6749 §2.3.1: id and secret form-encoded, then Basic),
    /// `client_secret_post`, `private_key_jwt` (RFC 7523: a signed assertion, single-use), or a
    /// public client's `client_id` alone.
    private func authenticate(_ request: Request, _ fields: [String: String]) async -> Client? {
        if fields["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
            guard let jwt = fields["client_assertion"],
                let verified = DemoClientKeys.verify(
                    jwt, audience: Self.origin(of: request) + "/token", options: options),
                fields["client_id"] == nil || fields["client_id"] == verified.client,
                await store.spend(assertion: verified.jti, until: verified.expires)
            else { return nil }
            return Client(id: verified.client, authenticated: true)
        }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") {
            guard let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return nil }
            let id = FormEncoding.unescape(text[..<colon])
            let secret = FormEncoding.unescape(text[text.index(after: colon)...])
            guard options.secret(ofClient: id) == secret else { return nil }
            return Client(id: id, authenticated: true)
        }
        guard let id = fields["client_id"], options.clientIndex(id) != nil else { return nil }
        if let secret = fields["client_secret"] {
            guard options.secret(ofClient: id) == secret else { return nil }
            return Client(id: id, authenticated: true)
        }
        return Client(id: id, authenticated: false)
    }

    private func tokenAnswer(access: String, refresh: String?, scopes: Set<String>) -> Response {
        var fields: [String: JSONValue] = [
            "access_token": .string(access),
            "token_type": .string("Bearer"),
            "expires_in": .int(Int64(max(1, options.tokenLifetime.components.seconds))),
            "scope": .string(scopes.sorted().joined(separator: " ")),
        ]
        if let refresh { fields["refresh_token"] = .string(refresh) }
        var response = json(.ok, .object(fields))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func oauthError(_ status: HTTPResponse.Status, _ code: String) -> Response {
        json(status, .object(["error": .string(code)]))
    }

    private func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONValue.encodeCompact(value))))
    }
}
