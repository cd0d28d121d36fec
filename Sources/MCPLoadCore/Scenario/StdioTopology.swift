/// How virtual clients reach a stdio server.
package enum StdioTopology: Sendable, Hashable {
    /// Every virtual client spawns its own server process (the default).
    case processPerClient
    /// Every virtual client goes through mcpload's fan-in proxy to shared server processes: the
    /// topology of stdio-to-HTTP proxies in production, where many clients' JSON-RPC is
    /// multiplexed onto one stdin/stdout pair.
    case sharedProcess(FanInSettings)

    package static let names = ["process-per-client", "shared-process"]

    /// `process per client`, `shared process (ids rewrite, initialize intercept)`: for headlines.
    package var summary: String {
        switch self {
        case .processPerClient: "process per client"
        case .sharedProcess(let settings): "shared process (\(settings.summary))"
        }
    }
}

/// How the fan-in proxy of the shared-process topology treats the messages it multiplexes.
///
/// The defaults are a correct proxy; `ids: passthrough` and `initialize: forward` are what naive
/// byte-forwarding proxies do, and reproduce their failures.
package struct FanInSettings: Sendable, Hashable {
    package enum IDs: String, Sendable, Hashable, CaseIterable {
        /// Each client's ids go to the server untouched; every client numbers from 1, so they collide.
        case passthrough
        /// The proxy gives every request a unique id and restores the client's own on the answer.
        case rewrite
    }

    package enum Initialize: String, Sendable, Hashable, CaseIterable {
        /// Every client's `initialize` (and `notifications/initialized`) reaches the one server.
        case forward
        /// The first `initialize` reaches the server; the rest are answered from its cached result.
        case intercept
    }

    /// Where server messages that name no client go: notifications, server requests, errors with a null id.
    package enum Routing: String, Sendable, Hashable, CaseIterable {
        /// A copy to every attached client.
        case broadcast
        /// Only the client attached longest.
        case first
    }

    package var ids: IDs
    package var initialize: Initialize
    package var route: Routing
    /// Server processes behind the proxy; sessions are spread over them in turn.
    package var processes: Int

    package init(
        ids: IDs = .rewrite, initialize: Initialize = .intercept, route: Routing = .broadcast, processes: Int = 1
    ) {
        self.ids = ids
        self.initialize = initialize
        self.route = route
        self.processes = processes
    }

    /// `ids passthrough, initialize forward`, with routing and processes when they are not the defaults.
    package var summary: String {
        var parts = ["ids \(ids.rawValue)", "initialize \(initialize.rawValue)"]
        if route != .broadcast { parts.append("route \(route.rawValue)") }
        if processes != 1 { parts.append("\(processes) processes") }
        return parts.joined(separator: ", ")
    }
}
