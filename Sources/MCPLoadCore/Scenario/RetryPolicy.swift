/// How a failed request is tried again (`retry:`): how often, after how long, for which failures.
///
/// `mode: request` re-sends the failed request on the same session; failures that end the
/// session (transport, not_sent, an expired HTTP session) end the iteration instead.
/// `mode: resend-history` opens a new session and replays the iteration up to the failed request.
package struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    package var attempts: Int
    package var initialBackoff: Duration
    package var maximumBackoff: Duration
    /// Each wait drawn uniformly from half the backoff to all of it, so clients do not retry in step.
    package var jitter: Bool
    package var on: Set<Condition>
    package var mode: Mode

    package enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Re-send the failed request on the same session.
        case request
        /// Open a new session, replay every earlier request of the iteration in order, then the
        /// failed one: what an agent does when it restarts from its transcript.
        case resendHistory = "resend-history"
    }

    package enum Condition: Sendable, Hashable {
        case failureClass(FailureClass)
        /// HTTP 500–599.
        case httpServerError
        /// HTTP 429.
        case httpTooManyRequests

        package static let names =
            "timeout, transport, not_sent, protocol, jsonrpc_error, tool_error, check_failed, http_status, http-5xx, http-429"

        package init?(name: String) {
            switch name {
            case "http-5xx": self = .httpServerError
            case "http-429": self = .httpTooManyRequests
            default:
                guard let failureClass = FailureClass(rawValue: name) else { return nil }
                self = .failureClass(failureClass)
            }
        }
    }

    package init(
        attempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(2),
        jitter: Bool = true, on: Set<Condition> = [.failureClass(.timeout), .httpServerError, .httpTooManyRequests],
        mode: Mode = .request
    ) {
        self.mode = mode
        self.attempts = attempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = jitter
        self.on = on
    }

    /// Whether `failure` is one the policy tries again.
    package func retries(_ failure: Failure) -> Bool {
        if on.contains(.failureClass(failure.failureClass)) { return true }
        guard failure.failureClass == .httpStatus, let code = failure.code else { return false }
        return (on.contains(.httpServerError) && (500...599).contains(code))
            || (on.contains(.httpTooManyRequests) && code == 429)
    }

    /// The wait before retry `number` (1 for the first retry): `initial × 2^(number − 1)`,
    /// at most `maximum`; never less than the server's `Retry-After`, itself bounded by `maximum`.
    package func delay(beforeRetry number: Int, retryAfter: Duration?, unit: Double) -> Duration {
        var backoff = initialBackoff
        for _ in 1..<max(1, number) where backoff < maximumBackoff { backoff = backoff * 2 }
        backoff = min(backoff, maximumBackoff)
        if jitter { backoff = backoff * (0.5 + 0.5 * min(max(unit, 0), 1)) }
        return min(max(backoff, retryAfter ?? .zero), maximumBackoff)
    }
}
