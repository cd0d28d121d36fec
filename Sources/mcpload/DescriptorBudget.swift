import Foundation
import MCPLoadCore

/// Refuses, before any load, a run that would run out of file descriptors mid-way.
///
/// Each stdio server keeps three pipe ends open in mcpload and briefly six while it spawns. A
/// spawn that fails with EMFILE inside swift-subprocess 1.0.2 traps instead of throwing, so
/// mcpload checks the budget up front instead of finding out by crashing. An HTTP client needs
/// a connection (and one more for the listening stream, with `session.listen`).
enum DescriptorBudget {
    static let reserve = 64

    /// The descriptors one virtual client may hold at once in `scenario`.
    static func perClient(_ scenario: Scenario) -> Int {
        switch (scenario.target.transport, scenario.target.topology) {
        case (.stdio, .processPerClient): 6
        case (.stdio, .sharedProcess): 1
        case (.http, _), (.sse, _): scenario.session.listen ? 2 : 1
        }
    }

    /// Raises the soft limit to the hard one (as much as the system allows without privileges),
    /// then checks the most demanding of the runs against it.
    static func check(_ scenarios: [Scenario]) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard
            let (scenario, needed) = scenarios.map({ ($0, $0.load.virtualClients * perClient($0) + reserve) })
                .max(by: { $0.1 < $1.1 }),
            UInt64(needed) > UInt64(limit.rlim_cur)
        else { return }
        let each =
            scenario.target.transport == .stdio
            ? "a server process each" : "a connection each, over \(scenario.target.transport.rawValue)"
        throw InputError(
            "\(scenario.load.virtualClients) clients need about \(needed) open files (\(each)), but the limit is "
                + "\(limit.rlim_cur): lower --vus or raise the limit (ulimit -n)")
    }
}
