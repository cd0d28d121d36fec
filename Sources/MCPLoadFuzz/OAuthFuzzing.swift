import MCPLoadCore

/// What servers send back in OAuth: a `WWW-Authenticate` header, a token endpoint's answer, a
/// form. Any bytes give a reading, never a trap; the invariants the client relies on hold.
enum OAuthFuzzing {
    static func run(_ bytes: [UInt8]) {
        // The first byte picks the parser, the rest is its input.
        let input = Array(bytes.dropFirst())
        switch (bytes.first ?? 0) % 3 {
        case 0:
            let header = String(decoding: input, as: UTF8.self)
            if let challenge = BearerChallenge(header: header) {
                precondition(header.utf8.count <= 8192, "a challenge read from an oversized header")
                precondition(challenge.scopes.allSatisfy { !$0.isEmpty && !$0.contains(" ") }, "an empty scope")
            }
        case 1:
            let status = Int(input.first ?? 0) + 100
            switch TokenEndpointAnswer(status: status, body: input.dropFirst()) {
            case .token(let token):
                precondition((200..<300).contains(status), "a token from an error status")
                precondition(!token.accessToken.isEmpty, "an empty access token")
                if let lifetime = token.lifetime { precondition(lifetime > .zero, "a lifetime that is not positive") }
            case .refused(let failure):
                // The code becomes a label in reports and thresholds: printable, no spaces.
                precondition(failure.code.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "an unprintable code")
            }
        default:
            let text = String(decoding: input, as: UTF8.self)
            let fields = FormEncoding.decode(text)
            // Whatever was read encodes and reads back the same.
            let again = FormEncoding.decode(FormEncoding.encode(fields.sorted { $0.key < $1.key }))
            precondition(again == fields, "a form that does not survive encoding")
        }
    }
}
