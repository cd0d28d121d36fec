import Crypto
import Foundation
import MCPLoadCore
import MCPLoadJSONRPC

/// `private_key_jwt` (RFC 7523 §2.2, OpenID Connect's client authentication): the client proves
/// who it is with a short-lived JWT signed by its own key (ES256) instead of a shared secret.
/// A new one for every token request: its `jti` is single-use.
struct ClientAssertion: Sendable {
    let clientID: String
    private let key: P256.Signing.PrivateKey

    /// The assertion type the token endpoint is told (RFC 7523 §2.2).
    static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// How long an assertion is valid: long enough to arrive, short enough not to be replayed.
    static let lifetime: TimeInterval = 60

    /// Throws a `token_endpoint` failure for a key that is not a P-256 private key in PEM.
    init(clientID: String, privateKeyPEM: String) throws(Failure) {
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw Failure(
                .tokenEndpoint, "private_key_jwt: the key of client \(clientID) is not a P-256 private key in PEM")
        }
        self.clientID = clientID
    }

    /// A signed assertion for `audience` (the token endpoint); nil if signing failed.
    func make(audience: String, now: Date = Date()) -> String? {
        let issued = Int64(now.timeIntervalSince1970)
        let header: JSONValue = ["alg": "ES256", "typ": "JWT"]
        let claims: JSONValue = .object([
            "iss": .string(clientID), "sub": .string(clientID), "aud": .string(audience),
            "iat": .int(issued), "exp": .int(issued + Int64(Self.lifetime)), "jti": .string(UUID().uuidString),
        ])
        let input =
            Base64URL.encode(JSONValue.encodeCompact(header).utf8) + "."
            + Base64URL.encode(JSONValue.encodeCompact(claims).utf8)
        guard let signature = try? key.signature(for: Data(input.utf8)) else { return nil }
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
