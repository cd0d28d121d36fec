import MCPLoadCore
import MCPLoadTransport

/// Runs the load: every virtual client is a child task of one task group (the open model adds
/// a dispatcher beside them: ``OpenModelDriver``).
enum Driver {
    /// What the clients measured, and what the run measured itself (the pool's sessions, the
    /// open model's dispatcher).
    struct Outcome: Sendable {
        var clients: [Recorder]
        var run = RunMeasurements()
        /// The HTTP server's own count of its sessions, when the scenario says where to read it.
        var serverSessions: ServerSessionCount?
        /// The identities' token requests and refusals (`auth:`).
        var auth: AuthStatistics?
    }

    /// Starts the clients (spread over the ramp-up), waits for all of them, returns their recorders.
    static func run(_ plan: RunPlan, connector: SessionConnector) async -> Outcome {
        if let pacer = plan.scenario.load.pacer {
            return await OpenModelDriver.run(plan, pacer: pacer, connector: connector)
        }
        guard case .pool(let size) = plan.scenario.session.strategy else {
            return Outcome(
                clients: await runClients(plan) { index in
                    await ClientExecutor(index: index, plan: plan, sessions: .connector(connector)).run()
                })
        }
        let (recorders, pool) = await SessionPool.withSessions(size: size, plan: plan, connector: connector) {
            sessions in
            guard !sessions.isEmpty else { return [Recorder]() }
            return await runClients(plan) { index in
                let session = sessions[(index - 1) % sessions.count]
                return await ClientExecutor(index: index, plan: plan, sessions: .shared(session)).run()
            }
        }
        return Outcome(clients: recorders, run: pool)
    }

    /// Starts the clients (spread over the ramp-up) as children of one task group; collects their recorders.
    private static func runClients(
        _ plan: RunPlan, _ client: @escaping @Sendable (Int) async -> Recorder
    ) async -> [Recorder] {
        let load = plan.scenario.load
        // Otherwise the last client to set up its session starts it (``RunPlan/clientSettled()``).
        // With a scheduled start (--start-at), the ramp counts from that instant.
        let start = plan.clientsSettingUp == nil ? plan.control.startLoad() : plan.clock.now
        // A shard's clients take their places in the whole load's ramp: together the shards
        // ramp up as one run would.
        let rampClients = Double(plan.scenario.shard?.totalVirtualClients ?? load.virtualClients)
        return await withTaskGroup(of: Recorder.self, returning: [Recorder].self) { group in
            for index in 1...load.virtualClients {
                let delay = load.rampUp * (Double(plan.globalVirtualClient(index) - 1) / rampClients)
                group.addTask {
                    if start + delay > plan.clock.now {
                        do {
                            try await plan.clock.sleep(until: start + delay)
                            plan.control.noteLoadBegan(late: plan.clock.now - (start + delay))
                        } catch {
                            // Cancelled in its ramp slot: the client starts and finds the run over.
                        }
                    }
                    return await client(index)
                }
            }
            var recorders: [Recorder] = []
            for await recorder in group { recorders.append(recorder) }
            return recorders
        }
    }
}
