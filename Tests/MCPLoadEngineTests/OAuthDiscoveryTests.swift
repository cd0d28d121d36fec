import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// Discovery's rules that need no server, and its failure against one with no OAuth at all.
@Suite("OAuth discovery")
struct OAuthDiscoveryTests {
    @Test("issuers compare exactly but for a trailing slash")
    func issuers() {
        #expect(OAuthDiscovery.sameIssuer("https://auth.example", "https://auth.example/"))
        #expect(OAuthDiscovery.sameIssuer("https://auth.example/t1/", "https://auth.example/t1"))
        #expect(!OAuthDiscovery.sameIssuer("https://auth.example/t1", "https://auth.example/t2"))
        #expect(!OAuthDiscovery.sameIssuer("https://evil.example", "https://auth.example"))
    }

    @Test(
        "a server without OAuth: discovery says what it tried and what the endpoint answered, and the run does not start"
    )
    func nothingToDiscover() async throws {
        let result = try await TestSupport.run(
            """
            target: { transport: http, builtin: demo }
            load: { vus: 1, iterations: 1 }
            auth: { oauth: { clients: [{ id: a, secret: b }] } }
            steps: [ping]
            """)
        #expect(result.status == .notStarted)
        let reason = try #require(result.statusReason)
        #expect(reason.contains("OAuth discovery: no protected resource metadata at"), "\(reason)")
        #expect(reason.contains("/.well-known/oauth-protected-resource/mcp"), "\(reason)")
        #expect(reason.contains("answered 400 without credentials, not 401"), "\(reason)")
    }
}
