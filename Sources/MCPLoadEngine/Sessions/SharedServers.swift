import MCPLoadCore
import MCPLoadTransport
import Synchronization

/// The shared-process topology: server processes started once for the run, each behind its own
/// fan-in proxy; sessions are spread over them in turn.
final class SharedServers: Sendable {
    private let proxies: [FanInProxy]
    private let turn = Atomic<Int>(0)

    private init(proxies: [FanInProxy]) {
        self.proxies = proxies
    }

    /// The proxy the next session attaches to.
    func nextProxy() -> FanInProxy {
        let index = turn.add(1, ordering: .relaxed).oldValue
        return proxies[index % proxies.count]
    }

    /// Starts the servers and their proxies, runs the clients through them, stops everything on
    /// every path. The proxies' counts and the servers' stderr are the run's own measurements.
    static func run(
        _ plan: RunPlan, launch: StdioLaunch, settings: FanInSettings
    ) async throws(Failure)
        -> Driver.Outcome
    {
        var servers = RunMeasurements()
        servers.fanIn = FanInStatistics()
        var (outcome, measured) = try await withServers(
            remaining: settings.processes, proxies: [], launch: launch, children: plan.control.children,
            settings: settings, measured: servers
        ) { proxies in
            await Driver.run(plan, connector: .fanIn(SharedServers(proxies: proxies)))
        }
        measured.stderrTail = Array(measured.stderrTail.suffix(20))
        outcome.run.merge(measured)
        return outcome
    }

    /// Each server's scope is nested in the previous one's, so all stay up while the clients run
    /// and all stop, in reverse order, on the way out.
    private static func withServers(
        remaining: Int, proxies: [FanInProxy], launch: StdioLaunch, children: ChildProcesses,
        settings: FanInSettings, measured: RunMeasurements,
        _ body: @escaping @Sendable ([FanInProxy]) async -> Driver.Outcome
    ) async throws(Failure) -> (Driver.Outcome, RunMeasurements) {
        guard remaining > 0 else { return (await body(proxies), measured) }
        do {
            let completion = try await StdioTransport.withServer(launch, in: children) { connection in
                let (inner, statistics) = await FanInProxy.withProxy(inFrontOf: connection, settings: settings) {
                    proxy -> Result<(Driver.Outcome, RunMeasurements), Failure> in
                    do throws(Failure) {
                        return .success(
                            try await withServers(
                                remaining: remaining - 1, proxies: proxies + [proxy], launch: launch,
                                children: children, settings: settings, measured: measured, body))
                    } catch {
                        return .failure(error)
                    }
                }
                var (outcome, measured) = try inner.get()
                measured.fanIn?.merge(statistics)
                measured.fanIn?.serverProcesses += 1
                return (outcome, measured)
            }
            var (outcome, measured) = completion.value
            measured.stderrTail += completion.stderrTail
            if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                measured.stderrTail.append("[shared server process ended: \(completion.termination)]")
            }
            return (outcome, measured)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(.notSent, "the shared server did not start: \(error)")
        }
    }
}
