import Crypto
import Foundation
import MCPLoadCore
import MCPLoadJSONRPC

/// The demo's `private_key_jwt` clients: client `i`'s P-256 key is derived from the secret base,
/// so the demo knows every public key without a registry, and `demo-server --print-client-key I`
/// hands the private one to whoever runs client `i` (a test, a scenario's key files).
package enum DemoClientKeys {
    static func privateKey(ofClient index: Int, secretBase: String) -> P256.Signing.PrivateKey? {
        let seed = SHA256.hash(data: Data("\(secretBase)-key-\(index)".utf8))
        return try? P256.Signing.PrivateKey(rawRepresentation: Data(seed))
    }

    /// `demo-server --print-client-key I`: client `i`'s private key in PEM.
    package static func pem(ofClient index: Int, options: DemoOAuthOptions) -> String? {
        guard (1...max(options.clientCount, 1)).contains(index) else { return nil }
        return privateKey(ofClient: index, secretBase: options.secretBase)?.pemRepresentation
    }

    /// A checked assertion: whose it is, and the `jti` and expiry that make it single-use.
    struct Verified {
        var client: String
        var jti: String
        var expires: Date
    }

    /// The client a `client_assertion` proves, when its ES256 signature is the client's, it is
    /// for `audience`, not expired, and names the same client as issuer and subject.
    static func verify(_ jwt: String, audience: String, options: DemoOAuthOptions, now: Date = Date()) -> Verified? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]),
            let claimBytes = Base64URL.decode(parts[1]), let signatureBytes = Base64URL.decode(parts[2]),
            let header = try? JSONParser.parse(headerBytes), header["alg"]?.stringValue == "ES256",
            let claims = try? JSONParser.parse(claimBytes), let client = claims["iss"]?.stringValue,
            claims["sub"]?.stringValue == client, claims["aud"]?.stringValue == audience,
            let expiry = claims["exp"]?.intValue, Double(expiry) > now.timeIntervalSince1970,
            let jti = claims["jti"]?.stringValue, let index = options.clientIndex(client),
            let key = privateKey(ofClient: index, secretBase: options.secretBase),
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes)
        else { return nil }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        guard key.publicKey.isValidSignature(signature, for: input) else { return nil }
        return Verified(client: client, jti: jti, expires: Date(timeIntervalSince1970: Double(expiry)))
    }
}
