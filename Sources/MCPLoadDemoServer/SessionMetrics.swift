import Hummingbird

/// `GET /metrics`: how many sessions the demo holds, as a Prometheus gauge, the way production
/// servers publish it, so that a run can read the server's own count (`target.sessionCount`).
/// Sessions kept by `--leak-sessions` or `--leak-refused` count: the server still holds them.
struct SessionMetrics: Sendable {
    let sessions: DemoSessions
    let legacy: LegacySSESessions
    /// With `--oauth`: what the token endpoint and the resource's guard did.
    let tokens: DemoTokenStore?
    /// For `--tenant-bleed`'s count.
    let state: DemoState

    static let metric = "mcp_sessions_active"

    func page() async -> Response {
        let streamable = await sessions.held
        let legacy = await legacy.count
        let text = """
            # HELP \(Self.metric) MCP sessions the server holds.
            # TYPE \(Self.metric) gauge
            \(Self.metric){transport="streamable-http"} \(streamable)
            \(Self.metric){transport="sse"} \(legacy)

            """ + (await oauthLines())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `demo_oauth_events_total{event="client_credentials"} 12`: token grants by kind, refusals
    /// by reason; tests compare a run's own counts with these.
    private func oauthLines() async -> String {
        guard let tokens else { return "" }
        var counts = await tokens.counts
        let bleeds = await state.tenantBleeds
        if bleeds > 0 { counts["tenant_bleed"] = bleeds }
        var lines = [
            "# HELP demo_oauth_events_total Token endpoint answers and token refusals.",
            "# TYPE demo_oauth_events_total counter",
        ]
        for (event, count) in counts.sorted(by: { $0.key < $1.key }) {
            lines.append("demo_oauth_events_total{event=\"\(event)\"} \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
