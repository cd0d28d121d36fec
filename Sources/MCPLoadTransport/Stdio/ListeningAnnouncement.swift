import MCPLoadCore

/// Reads the line a server that mcpload starts prints once it listens
/// (`… listening on http://127.0.0.1:PORT/mcp`): the demo server, started on port 0, says so.
package enum ListeningAnnouncement {
    package static func endpoint(
        from inbound: InboundQueue, within timeout: Duration
    ) async throws(Failure)
        -> String
    {
        let found = await withTimeout(timeout) { () -> Result<String, Failure> in
            for await event in inbound {
                switch event {
                case .frame(.line(let line)):
                    let text = String(decoding: line, as: UTF8.self)
                    if let range = text.range(of: "listening on ") {
                        return .success(String(text[range.upperBound...]))
                    }
                case .closed(let reason):
                    return .failure(Failure(.notSent, "the server exited before listening (\(reason))"))
                default:
                    continue
                }
            }
            return .failure(Failure(.notSent, "the server ended its output before listening"))
        }
        guard let found else {
            throw Failure(.notSent, "the server did not say where it listens within \(DurationText.format(timeout))")
        }
        return try found.get()
    }
}
