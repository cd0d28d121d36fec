import MCPLoadJSONRPC

/// What a token endpoint answered (RFC 6749 §5.1 and §5.2), read from its status and body.
package enum TokenEndpointAnswer: Sendable, Equatable {
    case token(IssuedToken)
    /// An OAuth error (`invalid_grant`, `invalid_client`, …) or, without one, the HTTP status.
    case refused(TokenFailure)

    /// Bodies longer than this are not read: a token answer is a few hundred bytes.
    static let maximumBodyBytes = 64 << 10

    package init(status: Int, body: some Collection<UInt8>) {
        let succeeded = (200..<300).contains(status)
        // A success whose body is no token answer is malformed, not a refusal by its status.
        guard body.count <= Self.maximumBodyBytes else {
            self = .refused(
                succeeded
                    ? .malformed("a \(status) answer longer than \(Self.maximumBodyBytes) bytes") : .status(status))
            return
        }
        guard let value = try? JSONParser.parse(Array(body)) else {
            self = .refused(succeeded ? .malformed("a \(status) answer whose body is not JSON") : .status(status))
            return
        }
        if succeeded {
            guard let token = value["access_token"]?.stringValue, !token.isEmpty else {
                self = .refused(.malformed("a \(status) answer without access_token"))
                return
            }
            let type = value["token_type"]?.stringValue?.lowercased()
            guard type == nil || type == "bearer" else {
                self = .refused(.malformed("token_type \(type ?? "") is not bearer"))
                return
            }
            // A lifetime that is not a sane number of seconds is treated as unknown.
            let seconds = value["expires_in"]?.intValue.flatMap { (1...31_536_000).contains($0) ? $0 : nil }
            self = .token(
                IssuedToken(
                    accessToken: token, lifetime: seconds.map { .seconds($0) },
                    refreshToken: value["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                    scope: value["scope"]?.stringValue))
            return
        }
        if let code = value["error"]?.stringValue, OAuthErrorCode.isValid(code) {
            self = .refused(.oauth(code, status: status))
        } else {
            self = .refused(.status(status))
        }
    }
}

/// A token as the endpoint issued it. Its values are secrets: never printed.
package struct IssuedToken: Sendable, Equatable {
    package var accessToken: String
    package var lifetime: Duration?
    package var refreshToken: String?
    package var scope: String?

    package init(accessToken: String, lifetime: Duration?, refreshToken: String? = nil, scope: String? = nil) {
        self.accessToken = accessToken
        self.lifetime = lifetime
        self.refreshToken = refreshToken
        self.scope = scope
    }
}

/// Why a token request failed: the `token_endpoint` failure class's codes.
package enum TokenFailure: Sendable, Hashable {
    /// The endpoint's OAuth `error` code, with the HTTP status it came with.
    case oauth(String, status: Int)
    /// An error status without an OAuth error body.
    case status(Int)
    /// A success status whose body is not a usable token.
    case malformed(String)
    /// No answer in time.
    case timeout
    /// No connection, or it broke.
    case transport(String)

    /// How the accounting names it: the OAuth code, `http_503`, `malformed`, `timeout`, `transport`.
    package var code: String {
        switch self {
        case .oauth(let code, _): code
        case .status(let status): "http_\(status)"
        case .malformed: "malformed"
        case .timeout: "timeout"
        case .transport: "transport"
        }
    }

    package var isInvalidGrant: Bool { if case .oauth("invalid_grant", _) = self { true } else { false } }
}

/// OAuth error codes are ASCII printable without `"` and `\` (RFC 6749 §5.2); anything else a
/// server sends is not used as a label.
enum OAuthErrorCode {
    static func isValid(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 64
            && code.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x5C && $0 != 0x20 }
    }
}
