import MCPLoadCore
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

    func perform(on client: JSONRPCClient, timeout: Duration) async -> Result<Established, Failure> {
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
