import MCPLoadCore

/// Runs the closed load model: every virtual client is a child task of one task group.
public enum Driver {
    /// Starts the clients (spread over the ramp-up), waits for all of them, returns their recorders.
    static func run(_ plan: RunPlan, connector: SessionConnector) async -> [Recorder] {
        let load = plan.scenario.load
        return await withTaskGroup(of: Recorder.self, returning: [Recorder].self) { group in
            for index in 1...load.virtualClients {
                let delay = load.rampUp * (Double(index - 1) / Double(load.virtualClients))
                group.addTask {
                    if delay > .zero { try? await Task.sleep(for: delay) }
                    return await VirtualClient(index: index, plan: plan, connector: connector).run()
                }
            }
            var recorders: [Recorder] = []
            for await recorder in group { recorders.append(recorder) }
            return recorders
        }
    }
}
