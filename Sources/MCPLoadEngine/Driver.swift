import MCPLoadCore

/// Runs the load: every virtual client is a child task of one task group (the open model adds
/// a dispatcher beside them: ``OpenModelDriver``).
public enum Driver {
    /// Starts the clients (spread over the ramp-up), waits for all of them, returns their recorders.
    static func run(_ plan: RunPlan, connector: SessionConnector) async -> [Recorder] {
        if let pacer = plan.scenario.load.pacer {
            return await OpenModelDriver.run(plan, pacer: pacer, connector: connector)
        }
        guard case .pool(let size) = plan.scenario.session.strategy else {
            return await runClients(plan) { index in
                await VirtualClient(index: index, plan: plan, connector: connector).run()
            }
        }
        let (recorders, poolRecorder) = await SessionPool.withSessions(size: size, plan: plan, connector: connector) {
            clients in
            guard !clients.isEmpty else { return [Recorder]() }
            return await runClients(plan) { index in
                await VirtualClient(index: index, plan: plan, connector: connector)
                    .run(sharing: clients[(index - 1) % clients.count])
            }
        }
        return recorders + [poolRecorder]
    }

    /// Starts the clients (spread over the ramp-up) as children of one task group; collects their recorders.
    private static func runClients(
        _ plan: RunPlan, _ client: @escaping @Sendable (Int) async -> Recorder
    ) async -> [Recorder] {
        let load = plan.scenario.load
        return await withTaskGroup(of: Recorder.self, returning: [Recorder].self) { group in
            for index in 1...load.virtualClients {
                let delay = load.rampUp * (Double(index - 1) / Double(load.virtualClients))
                group.addTask {
                    if delay > .zero { try? await Task.sleep(for: delay) }
                    return await client(index)
                }
            }
            var recorders: [Recorder] = []
            for await recorder in group { recorders.append(recorder) }
            return recorders
        }
    }
}
