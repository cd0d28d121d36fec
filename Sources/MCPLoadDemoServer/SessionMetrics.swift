import Hummingbird

/// `GET /metrics`: how many sessions the demo holds, as a Prometheus gauge, the way production
/// servers publish it, so that a run can read the server's own count (`target.sessionCount`).
/// Sessions kept by `--leak-sessions` or `--leak-refused` count: the server still holds them.
struct SessionMetrics: Sendable {
    let sessions: DemoSessions
    let legacy: LegacySSESessions

    static let metric = "mcp_sessions_active"

    func page() async -> Response {
        let streamable = await sessions.held
        let legacy = await legacy.count
        let text = """
            # HELP \(Self.metric) MCP sessions the server holds.
            # TYPE \(Self.metric) gauge
            \(Self.metric){transport="streamable-http"} \(streamable)
            \(Self.metric){transport="sse"} \(legacy)

            """
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
