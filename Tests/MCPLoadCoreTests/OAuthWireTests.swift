import Testing

@testable import MCPLoadCore

/// What comes over the wire in OAuth: challenges, token answers, forms, well-known URIs. All of
/// it from servers under test, so odd input gives a clear reading, never a crash.
@Suite("OAuth on the wire")
struct OAuthWireTests {
    @Test(
        "the Bearer challenge is found among others, quoted or not, escapes read",
        arguments: [
            (
                #"Bearer error="invalid_token", scope="mcp:tools", resource_metadata="http://a/.well-known/oauth-protected-resource/mcp""#,
                BearerChallenge(
                    error: "invalid_token", scope: "mcp:tools",
                    resourceMetadata: "http://a/.well-known/oauth-protected-resource/mcp")
            ),
            (#"Basic realm="x", Bearer scope="a b""#, BearerChallenge(scope: "a b")),
            (#"Basic dXNlcjpwYXNz==, bearer error=insufficient_scope"#, BearerChallenge(error: "insufficient_scope")),
            (#"Bearer realm="say \"hi\"", error="invalid_token""#, BearerChallenge(error: "invalid_token")),
            ("Bearer", BearerChallenge()),
        ])
    func challenges(header: String, expected: BearerChallenge) {
        #expect(BearerChallenge(header: header) == expected)
    }

    @Test(
        "no Bearer challenge, or something that is no header at all, reads as none",
        arguments: [
            "Basic realm=\"x\"", "", "===", "\"unterminated", String(repeating: "a", count: 9000),
        ])
    func noChallenge(header: String) {
        #expect(BearerChallenge(header: header) == nil)
    }

    @Test("a token answer gives the token, its lifetime and a refresh token; odd lifetimes are unknown")
    func tokenAnswers() {
        let answer = TokenEndpointAnswer(
            status: 200,
            body: Array(#"{"access_token":"abc","token_type":"Bearer","expires_in":300,"refresh_token":"r1"}"#.utf8))
        #expect(answer == .token(IssuedToken(accessToken: "abc", lifetime: .seconds(300), refreshToken: "r1")))
        let forever = TokenEndpointAnswer(
            status: 200, body: Array(#"{"access_token":"abc","token_type":"bearer","expires_in":-5}"#.utf8))
        #expect(forever == .token(IssuedToken(accessToken: "abc", lifetime: nil)))
        #expect(
            TokenEndpointAnswer(status: 200, body: Array(#"{"access_token":"abc","token_type":"mac"}"#.utf8))
                == .refused(.malformed("token_type mac is not bearer")))
        #expect(
            TokenEndpointAnswer(status: 200, body: Array(#"{"token_type":"Bearer"}"#.utf8))
                == .refused(.malformed("a 200 answer without access_token")))
        // A success that is not JSON at all (an HTML page, a body past the limit) is malformed
        // too, not a refusal named by its status.
        #expect(
            TokenEndpointAnswer(status: 200, body: Array("<html>ok</html>".utf8))
                == .refused(.malformed("a 200 answer whose body is not JSON")))
        let huge = Array(repeating: UInt8(ascii: " "), count: TokenEndpointAnswer.maximumBodyBytes + 1)
        #expect(
            TokenEndpointAnswer(status: 201, body: huge)
                == .refused(.malformed("a 201 answer longer than \(TokenEndpointAnswer.maximumBodyBytes) bytes")))
    }

    @Test("a refusal is named by its OAuth error code, or by its status when the body has none")
    func refusals() {
        #expect(
            TokenEndpointAnswer(status: 400, body: Array(#"{"error":"invalid_grant"}"#.utf8))
                == .refused(.oauth("invalid_grant", status: 400)))
        #expect(TokenEndpointAnswer(status: 503, body: Array("<html>busy</html>".utf8)) == .refused(.status(503)))
        // A code that is not a label (spaces, quotes) is not used as one.
        #expect(
            TokenEndpointAnswer(status: 400, body: Array(#"{"error":"bad \"thing\""}"#.utf8))
                == .refused(.status(400)))
        #expect(TokenFailure.oauth("invalid_grant", status: 400).code == "invalid_grant")
        #expect(TokenFailure.status(503).code == "http_503")
    }

    @Test("forms round-trip every byte, and decode what servers write (+ for space, bad escapes kept)")
    func forms() {
        let fields = [("grant_type", "client_credentials"), ("scope", "mcp:tools mcp:admin"), ("x", "a&b=c%/é")]
        let encoded = FormEncoding.encode(fields)
        #expect(encoded == "grant_type=client_credentials&scope=mcp%3Atools%20mcp%3Aadmin&x=a%26b%3Dc%25%2F%C3%A9")
        #expect(FormEncoding.decode(encoded) == Dictionary(uniqueKeysWithValues: fields))
        #expect(FormEncoding.decode("a=1+2&b=%zz&c&a=ignored") == ["a": "1 2", "b": "%zz", "c": ""])
    }

    @Test("well-known URIs: path-specific before the root; OpenID discovery after RFC 8414")
    func wellKnown() {
        #expect(
            WellKnownURL.protectedResourceMetadata(for: "https://h:8443/api/mcp?x=1")
                == [
                    "https://h:8443/.well-known/oauth-protected-resource/api/mcp",
                    "https://h:8443/.well-known/oauth-protected-resource",
                ])
        #expect(
            WellKnownURL.protectedResourceMetadata(for: "http://h/")
                == ["http://h/.well-known/oauth-protected-resource"])
        #expect(
            WellKnownURL.authorizationServerMetadata(for: "https://auth.example/tenant1")
                == [
                    "https://auth.example/.well-known/oauth-authorization-server/tenant1",
                    "https://auth.example/.well-known/openid-configuration/tenant1",
                    "https://auth.example/tenant1/.well-known/openid-configuration",
                ])
        #expect(
            WellKnownURL.authorizationServerMetadata(for: "http://127.0.0.1:9000")
                == [
                    "http://127.0.0.1:9000/.well-known/oauth-authorization-server",
                    "http://127.0.0.1:9000/.well-known/openid-configuration",
                ])
        #expect(WellKnownURL.authorizationServerMetadata(for: "ftp://x").isEmpty)
    }

    @Test("issued tokens are hidden wherever they appear whole, however many were issued")
    func issuedSecrets() {
        let issued = IssuedSecrets()
        for index in 0..<1000 { issued.add("dat_\(index)_0123456789abcdef") }
        issued.add("short")
        let text =
            #"{"token":"dat_7_0123456789abcdef","other":"dat_7_0123456789abcdefX", url ?t=dat_999_0123456789abcdef&short"#
        #expect(
            issued.redact(text, placeholder: "[redacted]")
                == #"{"token":"[redacted]","other":"dat_7_0123456789abcdefX", url ?t=[redacted]&short"#)
        let redactor = Redactor(secrets: []).watching(issued)
        #expect(redactor.redact("Bearer dat_1_0123456789abcdef") == "Bearer [redacted]")
    }

    @Test("base64url round-trips any bytes without padding, and refuses what is not base64url")
    func base64URL() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.encode(Array("{\"alg\":\"ES256\"}".utf8)) == "eyJhbGciOiJFUzI1NiJ9")
        #expect(Base64URL.decode("a+b/") == nil)
    }
}
