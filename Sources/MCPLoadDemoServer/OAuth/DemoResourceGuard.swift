import Foundation
import HTTPTypes
import Hummingbird
import MCPLoadJSONRPC

/// Who may use the MCP endpoints: anyone, the holder of one static token
/// (`--require-bearer-env`), or the holders of tokens the demo's authorization server issued for
/// this resource (`--oauth`), with the challenges the MCP authorization spec asks for.
struct DemoResourceGuard: Sendable {
    let requiredBearerToken: String?
    let oauth: DemoAuthorizationServer?

    enum Admission {
        /// Go on; with OAuth, the token's scopes (for the per-tool checks) and its client.
        case allowed(scopes: Set<String>?, tenant: String?)
        case refused(Response)
    }

    func admit(_ request: Request) async -> Admission {
        let presented = request.headers[.authorization]
        if let oauth {
            let token = presented.flatMap(Self.bearerToken)
            switch await oauth.store.validate(token, resource: DemoAuthorizationServer.resource(of: request)) {
            case .valid(let grant):
                guard grant.scopes.contains(oauth.options.scope) else {
                    return .refused(
                        challenge(
                            request, status: .forbidden, error: "insufficient_scope", scopes: [oauth.options.scope]))
                }
                return .allowed(scopes: grant.scopes, tenant: grant.client)
            case .missing:
                await oauth.store.count("rejected_missing")
                return .refused(challenge(request, status: .unauthorized, error: nil, scopes: [oauth.options.scope]))
            case .invalid:
                // A session's end (DELETE) is counted apart: clients send it with whatever token
                // they hold, and no client retries it.
                await oauth.store.count(request.method == .delete ? "rejected_invalid_delete" : "rejected_invalid")
                // Says which token it refused, as careless servers do: mcpload must hide it.
                var refusal = challenge(
                    request, status: .unauthorized, error: "invalid_token", scopes: [oauth.options.scope])
                refusal.body = .init(byteBuffer: ByteBuffer(string: "invalid or expired token: \(presented ?? "none")"))
                return .refused(refusal)
            }
        }
        guard let token = requiredBearerToken, presented != "Bearer \(token)" else {
            return .allowed(scopes: nil, tenant: nil)
        }
        // Echoes what was sent, as careless servers do (so mcpload's redaction is tested).
        return .refused(
            Response(
                status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                body: .init(byteBuffer: ByteBuffer(string: "invalid credentials: \(presented ?? "none")"))))
    }

    /// A 403 `insufficient_scope` when `message` calls a tool whose scope the token lacks.
    func checkScope(_ scopes: Set<String>?, for message: JSONRPCMessage, _ request: Request) async -> Response? {
        guard let oauth, let scopes, case .request(_, "tools/call", let params) = message,
            let tool = params?["name"]?.stringValue, let needed = oauth.options.toolScopes[tool],
            !scopes.contains(needed)
        else { return nil }
        await oauth.store.count("insufficient_scope")
        return challenge(request, status: .forbidden, error: "insufficient_scope", scopes: scopes.sorted() + [needed])
    }

    /// `WWW-Authenticate: Bearer error=…, scope=…, resource_metadata=…` (RFC 6750, RFC 9728 §5.1).
    private func challenge(
        _ request: Request, status: HTTPResponse.Status, error: String?, scopes: [String]
    ) -> Response {
        let metadata = DemoAuthorizationServer.origin(of: request) + "/.well-known/oauth-protected-resource/mcp"
        var parameters: [String] = []
        if let error { parameters.append("error=\"\(error)\"") }
        parameters.append("scope=\"\(scopes.joined(separator: " "))\"")
        parameters.append("resource_metadata=\"\(metadata)\"")
        return Response(status: status, headers: [.wwwAuthenticate: "Bearer " + parameters.joined(separator: ", ")])
    }

    static func bearerToken(_ header: String) -> String? {
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
