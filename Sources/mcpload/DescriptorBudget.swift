import Foundation

/// Refuses, before any load, a run that would run out of file descriptors mid-way.
///
/// Each stdio server keeps three pipe ends open in mcpload and briefly six while it spawns. A
/// spawn that fails with EMFILE inside swift-subprocess 1.0.2 traps instead of throwing, so
/// mcpload checks the budget up front instead of finding out by crashing.
enum DescriptorBudget {
    static let perClient = 6
    static let reserve = 64

    static func check(virtualClients: Int) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let needed = virtualClients * perClient + reserve
        guard UInt64(needed) > UInt64(limit.rlim_cur) else { return }
        throw InputError(
            "\(virtualClients) clients need about \(needed) open files (one server process each), but the limit is "
                + "\(limit.rlim_cur): lower --vus or raise the limit (ulimit -n)")
    }
}
