import MCPLoadCore

/// The lines `auth:` adds to a summary: the token endpoint as its own row, apart from the MCP
/// latencies, why tokens were asked for, and what the server's refusals cost.
enum AuthSummary {
    static func render(_ result: RunResult) -> [String] {
        guard let auth = result.auth else { return [] }
        let identities = auth.identities == 1 ? "1 identity" : "\(auth.identities) identities"
        guard !auth.isStatic || auth.rejected + auth.insufficientScope > 0 else {
            return ["auth: \(auth.mode), \(identities)"]
        }
        var lines: [String] = []
        if !auth.isStatic {
            var line =
                "auth: \(auth.mode), \(identities); token endpoint: \(auth.tokenRequests) requests, "
                + "\(auth.tokenFailureCount) failed"
            if !auth.tokenFailures.isEmpty {
                line +=
                    " ("
                    + auth.tokenFailures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                    .joined(separator: ", ") + ")"
            }
            if auth.tokenLatency.count > 0 {
                line +=
                    ", p50 \(micros(auth.tokenLatency, 50)), p99 \(micros(auth.tokenLatency, 99)), "
                    + "max \(DurationText.formatMicroseconds(Double(auth.tokenLatency.maxMicroseconds)))"
            }
            lines.append(line)
            let order = ["initial", "proactive", "rejected", "reacquire", "step_up"]
            let reasons = auth.tokenReasons.sorted {
                (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count)
            }
            lines.append(
                "  tokens asked for: " + reasons.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    + "; \(auth.refreshes) refreshes; at most \(auth.peakTokenRequestsPerSecond) in one second")
        } else {
            lines.append("auth: \(auth.mode), \(identities)")
        }
        lines.append(
            "  refusals by the MCP server: \(auth.rejected) × 401, \(auth.insufficientScope) × 403; "
                + "\(auth.retriesAfterReauth) requests sent again with a new token; "
                + "\(auth.waitedForToken) waited for a token another client was getting; "
                + "\(auth.identitiesRetired) identities retired")
        if auth.recovery.count > 0 {
            lines.append(
                "  recovery from a refusal (until a new token was in hand): p50 \(micros(auth.recovery, 50)), "
                    + "p99 \(micros(auth.recovery, 99)), max \(DurationText.formatMicroseconds(Double(auth.recovery.maxMicroseconds)))"
            )
        }
        return lines
    }

    private static func micros(_ histogram: LatencyHistogram, _ percentile: Double) -> String {
        DurationText.formatMicroseconds(Double(histogram.microseconds(atPercentile: percentile)))
    }
}
