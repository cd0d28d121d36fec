import MCPLoadCore
import MCPLoadTransport

/// Reads the line a server prints once it listens (`… listening on http://127.0.0.1:PORT/mcp`).
enum ListeningAnnouncement {
    static func endpoint(
        from inbound: InboundQueue, within timeout: Duration
    ) async throws(Failure)
        -> String
    {
        let found = await withTaskGroup(of: Result<String, Failure>?.self) { group in
            group.addTask {
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
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .failure(
                    Failure(.notSent, "the server did not say where it listens within \(DurationText.format(timeout))"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(Failure(.notSent, "the server ended its output before listening"))
        }
        return try found.get()
    }
}
