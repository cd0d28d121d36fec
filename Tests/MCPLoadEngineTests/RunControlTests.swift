import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// The run's bounds: its duration counts from the load's start, not from mcpload's.
@Suite("Run control")
struct RunControlTests {
    @Test("the duration counts from the load's start: time spent setting up is not load time")
    func deadlineFromLoadStart() {
        let clock = ManualClock()
        let control = RunControl(iterationsPerClient: nil, duration: .seconds(10), clock: clock)
        clock.advance(by: .seconds(30))
        #expect(control.deadline == nil)
        #expect(!control.deadlinePassed)
        #expect(control.mayStartIteration(after: 0))
        control.startLoad()
        #expect(control.deadline == .seconds(40))
        clock.advance(by: .seconds(5))
        // A second start (another part of the run) does not move it.
        control.startLoad()
        #expect(control.deadline == .seconds(40))
        clock.advance(by: .seconds(5))
        #expect(control.deadlinePassed)
        #expect(!control.mayStartIteration(after: 1))
    }

    @Test("clients waiting for the load's start go when it starts, or when the run drains before it")
    func waitersGo() async {
        for drains in [false, true] {
            let control = RunControl(iterationsPerClient: 1, duration: nil, clock: ManualClock())
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { await control.waitForLoadStart() } }
                if drains { control.drain() } else { control.startLoad() }
                await group.waitForAll()
            }
            #expect(control.hasLoadStarted == !drains)
            #expect(control.mayStartIteration(after: 0) == !drains)
        }
    }

    @Test("a client that keeps its session opens it before it asks for an iteration, closed model and open alike")
    func sessionBeforeIteration() {
        for openModel in [false, true] {
            var simulation = ClientSimulation(
                steps: [.request], iterationsPerClient: openModel ? nil : 1, openModel: openModel)
            simulation.run()
            #expect(simulation.actions.prefix(2) == [.openSession, .awaitIteration])
            #expect(simulation.settled == 1)
        }
        // Per iteration, the iteration comes first: its session is opened for it.
        var perIteration = ClientSimulation(steps: [.request], strategy: .perIteration, iterationsPerClient: 1)
        perIteration.run()
        #expect(perIteration.actions.prefix(2) == [.awaitIteration, .openSession])
    }

    @Test("a client done before it ever tried a session still counts as set up, so the load can start")
    func settledWithoutSession() {
        var simulation = ClientSimulation(steps: [.request], iterationsPerClient: 1)
        simulation.context.draining = true
        simulation.run()
        #expect(simulation.actions == [.finish])
        #expect(simulation.settled == 1)
    }

    @Test("a scheduled start (--start-at): ready early, the load waits for the instant; ready late, it starts at once")
    func scheduledStart() async {
        let clock = ManualClock()
        let control = RunControl(
            iterationsPerClient: nil, duration: .seconds(10), clock: clock, scheduledStart: .seconds(30))
        clock.advance(by: .seconds(5))
        #expect(control.startLoad() == .seconds(30))
        #expect(control.deadline == .seconds(40))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await control.waitForLoadStart() } }
            await clock.waitForSleepers(3)
            // The waiters sleep in short steps, so that a drain is heard: step to the start.
            while clock.now < .seconds(30) {
                _ = clock.advanceToNextDeadline()
                await clock.waitForSleepers(clock.now < .seconds(30) ? 3 : 0)
            }
            await group.waitForAll()
        }
        let times = control.loadTimes
        #expect(times?.ready == .seconds(5) && times?.start == .seconds(30))

        let late = RunControl(iterationsPerClient: nil, duration: nil, clock: clock, scheduledStart: .seconds(10))
        #expect(late.startLoad() == clock.now)
        await late.waitForLoadStart()
        #expect(late.loadTimes?.ready == clock.now && late.loadTimes?.start == clock.now)
    }
}
