/// How the demo server serves MCP over HTTP, and the HTTP faults it injects.
package struct DemoHTTPOptions: Sendable, Hashable {
    /// Loopback unless asked otherwise: a load target must not be reachable from elsewhere by accident.
    package var host = "127.0.0.1"
    /// 0 picks a free port; the server prints the one it bound.
    package var port = 0
    /// Answer POSTs with `application/json` instead of an SSE stream.
    package var jsonResponse = false
    /// No sessions: no `Mcp-Session-Id`, every request stands alone.
    package var stateless = false
    /// A session's Nth request after initialize gets 404, as from a server that expired it.
    package var expireSessionsAfter: Int?
    /// New sessions beyond this many live ones are refused with 503.
    package var maxSessions: Int?
    /// Requests answered with this HTTP status (429 or 503, with Retry-After), at this rate; deterministic.
    package var statusFaults: [StatusFault] = []
    /// The fraction of SSE answers to tools/call closed after their priming event, before the
    /// answer; the rest can be resumed with GET and Last-Event-ID. Deterministic.
    package var cutStreamRate: Double = 0
    /// When set, every request must carry `Authorization: Bearer <this>`; others get 401 with a
    /// body that echoes what they sent, like careless servers do (so mcpload's redaction is tested).
    package var requiredBearerToken: String?
    /// `--oauth`: tokens from the demo's own authorization server are required.
    package var oauth: DemoOAuthOptions?
    /// When set, every answer carries `Mcp-Replica: <this>`: which replica behind a load balancer served it.
    package var replica: String?
    /// A session-leak bug: a closed session's state (64 KiB) is never freed.
    package var leakSessions = false
    /// A session-leak bug: a session a request of which was refused (`--status-rate`) is kept
    /// (64 KiB) after it closes.
    package var leakRefused = false

    package struct StatusFault: Sendable, Hashable {
        package var status: Int
        package var rate: Double

        package init(status: Int, rate: Double) {
            self.status = status
            self.rate = rate
        }
    }

    package init() {}
}
