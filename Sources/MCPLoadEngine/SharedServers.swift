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
    /// every path. The proxies' counts and the servers' stderr come back as client 0's recorder.
    static func run(_ plan: RunPlan, launch: StdioLaunch, settings: FanInSettings) async throws(Failure) -> [Recorder] {
        var recorder = plan.makeRecorder(virtualClient: 0)
        recorder.fanIn = FanInStatistics()
        let (clients, servers) = try await withServers(
            remaining: settings.processes, proxies: [], launch: launch, settings: settings, recorder: recorder
        ) { proxies in
            await Driver.run(plan, connector: .fanIn(SharedServers(proxies: proxies)))
        }
        return clients + [servers]
    }

    /// Each server's scope is nested in the previous one's, so all stay up while the clients run
    /// and all stop, in reverse order, on the way out.
    private static func withServers(
        remaining: Int, proxies: [FanInProxy], launch: StdioLaunch, settings: FanInSettings, recorder: Recorder,
        _ body: @escaping @Sendable ([FanInProxy]) async -> [Recorder]
    ) async throws(Failure) -> ([Recorder], Recorder) {
        guard remaining > 0 else { return (await body(proxies), recorder) }
        do {
            let completion = try await StdioTransport.withServer(launch) { connection in
                let (inner, statistics) = await FanInProxy.withProxy(inFrontOf: connection, settings: settings) {
                    proxy -> Result<([Recorder], Recorder), Failure> in
                    do throws(Failure) {
                        return .success(
                            try await withServers(
                                remaining: remaining - 1, proxies: proxies + [proxy], launch: launch,
                                settings: settings, recorder: recorder, body))
                    } catch {
                        return .failure(error)
                    }
                }
                var (clients, recorder) = try inner.get()
                recorder.fanIn?.merge(statistics)
                recorder.fanIn?.serverProcesses += 1
                return (clients, recorder)
            }
            var (clients, recorder) = completion.value
            var lines = completion.stderrTail
            if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                lines.append("[shared server process ended: \(completion.termination)]")
            }
            recorder.appendStderr(lines)
            return (clients, recorder)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(.notSent, "the shared server did not start: \(error)")
        }
    }
}
