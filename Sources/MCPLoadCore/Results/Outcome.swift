/// The class every failed attempt lands in, exactly one (DESIGN.md, "Failure taxonomy").
package enum FailureClass: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    /// Never reached the server: spawn, connect or write failed, session could not be opened.
    case notSent = "not_sent"
    case timeout
    /// The connection broke: EOF, process exited, stream cut.
    case transport
    case httpStatus = "http_status"
    /// The server answered with something that is not valid JSON-RPC for this request.
    case `protocol`
    case jsonrpcError = "jsonrpc_error"
    /// A tools/call result with `isError: true` the scenario did not expect.
    case toolError = "tool_error"
    /// A well-formed answer that failed the step's `expect` checks.
    case checkFailed = "check_failed"
    // The classes of `auth:`, last so that earlier classes keep their places (and colours).
    /// The server refused the credentials (401) or their scope (403), after any re-authentication.
    case auth
    /// No token to send it with: the token endpoint failed, or the identity was retired.
    case tokenEndpoint = "token_endpoint"

    package static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// Whether the request reached the server; "never sent" and "sent and failed" are reported apart.
    package var wasSent: Bool { self != .notSent && self != .tokenEndpoint }
}

/// Why one attempt failed: its class, a code where the class has codes, and a short message.
package struct Failure: Sendable, Hashable, Error {
    package var failureClass: FailureClass
    /// The JSON-RPC error code for `jsonrpc_error`, the HTTP status for `http_status`.
    package var code: Int64?
    package var message: String
    /// An HTTP `Retry-After` the server sent with the failure: how long it asked clients to wait.
    package var retryAfter: Duration?
    /// An `auth` failure: what the server said, and which of the identity's tokens it refused.
    package var refusal: AuthRefusal?

    package init(_ failureClass: FailureClass, code: Int64? = nil, _ message: String, retryAfter: Duration? = nil) {
        self.failureClass = failureClass
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}

/// The outcome of one attempt.
package enum Outcome: Sendable, Hashable {
    case success
    case failure(Failure)

    package var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

/// One measured request: what the recorder needs and nothing more.
package struct Sample: Sendable {
    package var stepIndex: Int
    package var outcome: Outcome
    /// From the moment the request was written to the moment its answer (or failure) arrived.
    package var latency: Duration
    package var bytesOut: Int
    package var bytesIn: Int
    /// Open model: how late the attempt's iteration started against its schedule. The
    /// corrected latency is `latency + startLag` (coordinated omission, as wrk2 corrects it).
    package var startLag: Duration?
    /// A retry of the step's request (not its first attempt).
    package var isRetry = false
    /// Bytes of transcript it carried (`history:`), part of `bytesOut`.
    package var bytesCarried = 0

    package init(stepIndex: Int, outcome: Outcome, latency: Duration, bytesOut: Int, bytesIn: Int) {
        self.stepIndex = stepIndex
        self.outcome = outcome
        self.latency = latency
        self.bytesOut = bytesOut
        self.bytesIn = bytesIn
    }
}

/// A refusal of credentials by the MCP server, as the client needs it to recover.
package struct AuthRefusal: Sendable, Hashable {
    /// The `WWW-Authenticate` challenge, when the server sent one.
    package var challenge: BearerChallenge?
    /// The generation of the identity's token that was presented (0: none was).
    package var presentedGeneration: Int

    package init(challenge: BearerChallenge?, presentedGeneration: Int) {
        self.challenge = challenge
        self.presentedGeneration = presentedGeneration
    }
}
