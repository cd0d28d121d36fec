import MCPLoadCore

/// The open model: `maxVUs` clients wait idle; a dispatcher starts iterations on them at the
/// pacer's rate, whether or not earlier ones finished. A due start that finds every client busy
/// is dropped and counted.
enum OpenModelDriver {
    static func run(_ plan: RunPlan, pacer: Pacer, connector: SessionConnector) async -> [Recorder] {
        let clients = plan.scenario.load.virtualClients
        let arrivals = OpenArrivals(clients: clients)
        let scheduled = plan.scheduled(by: arrivals)
        return await withTaskGroup(of: Recorder.self, returning: [Recorder].self) { group in
            for index in 1...clients {
                group.addTask { await VirtualClient(index: index, plan: scheduled, connector: connector).run() }
            }
            group.addTask {
                // Per-client sessions open before the schedule starts; give them their setup time.
                await arrivals.waitUntilEveryClientIsReady(within: scheduled.scenario.session.setupTimeout)
                let clock = ContinuousClock()
                let started = clock.now
                let lateness = await arrivals.dispatch(pacer, from: started, control: scheduled.control, clock: clock)
                var recorder = scheduled.makeRecorder(virtualClient: 0)
                recorder.pacing = PacingStatistics(
                    targetRate: pacer.expectedArrivals / max(pacer.duration.seconds, 1e-9),
                    scheduled: UInt64(pacer.expectedArrivals.rounded(.down)),
                    dispatched: arrivals.dispatchedCount, dropped: arrivals.droppedCount,
                    // A schedule that ran to its end covered its whole duration; a drained one, what it ran.
                    scheduleSeconds: scheduled.control.isDraining
                        ? (clock.now - started).seconds : pacer.duration.seconds,
                    dispatchLag: lateness)
                return recorder
            }
            var recorders: [Recorder] = []
            for await recorder in group { recorders.append(recorder) }
            return recorders
        }
    }
}
