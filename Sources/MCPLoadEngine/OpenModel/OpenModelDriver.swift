import MCPLoadCore

/// The open model: `maxVUs` clients wait idle; a dispatcher starts iterations on them at the
/// pacer's rate, whether or not earlier ones finished. A due start that finds every client busy
/// is dropped and counted.
enum OpenModelDriver {
    static func run(_ plan: RunPlan, pacer: Pacer, connector: SessionConnector) async -> Driver.Outcome {
        let clients = plan.scenario.load.virtualClients
        let arrivals = OpenArrivals(clients: clients)
        let scheduled = plan.scheduled(by: arrivals)
        return await withTaskGroup(of: Part.self, returning: Driver.Outcome.self) { group in
            for index in 1...clients {
                group.addTask {
                    .client(await ClientExecutor(index: index, plan: scheduled, sessions: .connector(connector)).run())
                }
            }
            group.addTask {
                // Per-client sessions open before the schedule starts; give them their setup time.
                await arrivals.waitUntilEveryClientIsReady(
                    within: scheduled.scenario.session.setupTimeout, clock: scheduled.clock)
                let clock = scheduled.clock
                // With --start-at, the schedule's first arrival is due at the agreed instant.
                let started = scheduled.control.startLoad()
                let lateness = await arrivals.dispatch(pacer, from: started, control: scheduled.control, clock: clock)
                var run = RunMeasurements()
                run.pacing = PacingStatistics(
                    targetRate: pacer.expectedArrivals / max(pacer.duration.seconds, 1e-9),
                    scheduled: UInt64(pacer.expectedArrivals.rounded(.down)),
                    dispatched: arrivals.dispatchedCount, dropped: arrivals.droppedCount,
                    // A schedule that ran to its end covered its whole duration; a drained one, what it ran.
                    scheduleSeconds: scheduled.control.isDraining
                        ? (clock.now - started).seconds : pacer.duration.seconds,
                    dispatchLag: lateness)
                return .dispatcher(run)
            }
            var outcome = Driver.Outcome(clients: [])
            for await part in group {
                switch part {
                case .client(let recorder): outcome.clients.append(recorder)
                case .dispatcher(let run): outcome.run.merge(run)
                }
            }
            return outcome
        }
    }

    /// What a child task of the open model brings back.
    private enum Part: Sendable {
        case client(Recorder)
        case dispatcher(RunMeasurements)
    }
}
