import AsyncHTTPClient
import MCPLoadCore

/// Waits for a server that mcpload started to listen: any HTTP answer on the endpoint counts.
enum HTTPReadiness {
    static let probeInterval = Duration.milliseconds(50)

    static func wait(
        for options: HTTPSessionOptions, client: HTTPClient, server: StdioConnection, within timeout: Duration
    ) async -> Result<Void, Failure> {
        let endpoint = options.endpoint
        let outcome = await withTimeout(timeout) { () -> Result<Void, Failure> in
            await withTaskGroup(of: Result<Void, Failure>.self) { group in
                group.addTask {
                    // A server that exits while we wait will never listen.
                    for await event in server.inbound {
                        if case .closed = event { break }
                    }
                    return .failure(Failure(.notSent, "the server exited before listening on \(endpoint)"))
                }
                group.addTask {
                    while !Task.isCancelled {
                        var probe = HTTPClientRequest(url: endpoint)
                        probe.method = .GET
                        probe.headers = options.baseHeaders()
                        if (try? await client.execute(probe, timeout: .seconds(1))) != nil { return .success(()) }
                        // Polling is the only way to learn that an unrelated process started listening.
                        try? await Task.sleep(for: probeInterval)
                    }
                    return .failure(Failure(.notSent, "the readiness check was cancelled"))
                }
                let first = await group.next() ?? .failure(Failure(.notSent, "readiness check ended"))
                group.cancelAll()
                return first
            }
        }
        return outcome
            ?? .failure(Failure(.notSent, "nothing answered at \(endpoint) within \(DurationText.format(timeout))"))
    }
}
