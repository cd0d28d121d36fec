import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport

/// The MCP lifecycle's opening: `initialize`, version negotiation, `notifications/initialized`.
struct SessionHandshake {
    var protocolVersion: String
    var clientInfo: JSONValue

    /// What a completed handshake established.
    struct Established {
        var protocolVersion: String
        var serverInfo: JSONValue?
    }

    init(scenario: Scenario, context: TemplateContext) {
        let parameters = scenario.initializeParameters
        protocolVersion = parameters.protocolVersion
        clientInfo =
            parameters.clientInfo?.render(in: context)
            ?? ["name": .string(MCPProtocol.clientName), "version": .string(MCPProtocol.clientVersion)]
    }

    func perform(
        on client: JSONRPCClient, timeout: Duration, clock: any EngineClock
    ) async -> Result<Established, Failure> {
        let deadline = clock.now + timeout
        switch protocolVersion {
        case MCPProtocol.statelessVersion:
            return await discover(on: client, timeout: timeout)
        case MCPProtocol.automaticVersion:
            if case .success(let established) = await discover(on: client, timeout: timeout) {
                return .success(established)
            }
            // Not a 2026-07-28 server: the classic handshake, offering the latest version before it.
            await client.useEnvelope(nil)
            await client.sessionEstablished(protocolVersion: nil)
            var classic = self
            classic.protocolVersion = MCPProtocol.latestVersion
            return await classic.initialize(on: client, timeout: max(deadline - clock.now, .milliseconds(1)))
        default:
            return await initialize(on: client, timeout: timeout)
        }
    }

    /// 2026-07-28: no handshake. Every request carries the envelope; `server/discover` checks the
    /// server speaks the revision, and its latency is the session setup.
    private func discover(on client: JSONRPCClient, timeout: Duration) async -> Result<Established, Failure> {
        await client.useEnvelope([
            MCPProtocol.MetaKey.protocolVersion: .string(MCPProtocol.statelessVersion),
            MCPProtocol.MetaKey.clientCapabilities: [:],
            MCPProtocol.MetaKey.clientInfo: clientInfo,
        ])
        await client.sessionEstablished(protocolVersion: MCPProtocol.statelessVersion)
        let reply = await client.request("server/discover", params: nil, timeout: timeout)
        switch reply.answer {
        case .failed(let failure):
            return .failure(failure)
        case .error(let code, let message, _):
            return .failure(Failure(.jsonrpcError, code: code, "server/discover failed: \(message)"))
        case .result(let result):
            let versions = result["supportedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard versions.contains(MCPProtocol.statelessVersion) else {
                return .failure(
                    Failure(.protocol, "server/discover lists \(versions), not \(MCPProtocol.statelessVersion)"))
            }
            return .success(
                Established(protocolVersion: MCPProtocol.statelessVersion, serverInfo: result["serverInfo"]))
        }
    }

    private func initialize(on client: JSONRPCClient, timeout: Duration) async -> Result<Established, Failure> {
        let params: JSONValue = [
            "protocolVersion": .string(protocolVersion),
            "capabilities": [:],
            "clientInfo": clientInfo,
        ]
        let reply = await client.request("initialize", params: params, timeout: timeout)
        let established: Established
        switch reply.answer {
        case .failed(let failure):
            return .failure(failure)
        case .error(let code, let message, _):
            return .failure(Failure(.jsonrpcError, code: code, "initialize failed: \(message)"))
        case .result(let result):
            switch Self.negotiate(result) {
            case .success(let value): established = value
            case .failure(let failure): return .failure(failure)
            }
        }
        await client.sessionEstablished(protocolVersion: established.protocolVersion)
        if case .failure(let failure) = await client.notify("notifications/initialized", params: nil) {
            return .failure(failure)
        }
        return .success(established)
    }

    /// The server picks the version; mcpload goes on only with one it implements.
    static func negotiate(_ result: JSONValue) -> Result<Established, Failure> {
        guard let version = result["protocolVersion"]?.stringValue else {
            return .failure(Failure(.protocol, "initialize result has no protocolVersion"))
        }
        guard MCPProtocol.supportedVersions.contains(version) else {
            let known = MCPProtocol.supportedVersions.sorted().joined(separator: ", ")
            return .failure(
                Failure(.protocol, "server chose protocolVersion \(version), which mcpload does not support (\(known))")
            )
        }
        return .success(Established(protocolVersion: version, serverInfo: result["serverInfo"]))
    }
}
