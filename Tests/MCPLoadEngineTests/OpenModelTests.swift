import MCPLoadCore
import Testing

@testable import MCPLoadEngine

@Suite("Open model dispatch", .timeLimit(.minutes(1)))
struct OpenArrivalsTests {
    @Test(
        "a due start goes to an idle client with its due instant; with every client busy it is dropped, never delayed")
    func dispatchAndDrop() async {
        let arrivals = OpenArrivals(clients: 2)
        let due = Duration.seconds(3)
        await withTaskGroup(of: Duration?.self) { group in
            for index in 1...2 { group.addTask { await arrivals.nextIteration(for: index) } }
            await arrivals.waitUntilEveryClientIsReady()
            arrivals.dispatch(dueAt: due)
            arrivals.dispatch(dueAt: due + .milliseconds(10))
            // Both clients are busy now: the third start is dropped.
            arrivals.dispatch(dueAt: due + .milliseconds(20))
            var received: [Duration] = []
            for await instant in group { if let instant { received.append(instant) } }
            #expect(received.sorted() == [due, due + .milliseconds(10)])
        }
        #expect(arrivals.dispatchedCount == 3)
        #expect(arrivals.droppedCount == 1)
        // Once the schedule is over, a client asking for more is told so.
        arrivals.closeAll()
        #expect(await arrivals.nextIteration(for: 1) == nil)
        #expect(arrivals.isOver)
    }
}

extension ProcessTests {
    @Suite("Open model end to end")
    struct OpenModelEndToEndTests {
        @Test(
            "100/s for 1 s: exactly 100 iterations due, each run or dropped, latencies from the schedule and from the send"
        )
        func constantRate() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--latency, 2ms] }
                load: { model: open, rate: 100/s, duration: 1s, maxVUs: 10 }
                steps:
                  - call_tool: { name: echo, arguments: { text: "c{{vu}}" }, expect: { contains: "c{{vu}}" } }
                """)
            #expect(result.status == .completed)
            let pacing = try #require(result.pacing)
            #expect(pacing.scheduled == 100)
            #expect(pacing.dispatched == 100)
            let step = try #require(result.steps.first)
            #expect(step.successes + pacing.dropped == 100)
            #expect(result.iterations.dropped == pacing.dropped)
            #expect(result.totals.failures.total == 0)
            #expect(step.uncorrectedLatency?.count == step.successes)
            #expect(pacing.startLag.count == step.successes)
            // From the schedule is never shorter than from the send.
            #expect(step.latency.minMicroseconds >= step.uncorrectedLatency?.minMicroseconds ?? 0)
            #expect(result.session.opened == 10)
        }

        @Test("a server that never starts does not hang the open model: every start is dropped, the run ends")
        func serverNeverStarts() async throws {
            let result = try await TestSupport.run(
                """
                target: { command: ["false"] }
                load: { model: open, rate: 10/s, duration: 500ms, maxVUs: 2 }
                session: { setupTimeout: 1s }
                steps: [ping]
                """)
            #expect(result.status == .notStarted)
            let pacing = try #require(result.pacing)
            #expect(pacing.dispatched == 5 && pacing.dropped == 5)
            #expect(result.totals.attempts == 0)
        }

        @Test(
            "a fixed 30 ms service time shows in p50, closed and open alike (upper bound generous: a loaded machine)",
            arguments: [
                "{ vus: 2, iterations: 10 }", "{ model: open, rate: 20/s, duration: 1s, maxVUs: 4 }",
            ])
        func serviceTime(load: String) async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--latency, 30ms] }
                load: \(load)
                steps: [ping]
                """)
            let step = try #require(result.steps.first)
            #expect(step.successes >= 10)
            let p50 = step.latency.microseconds(atPercentile: 50)
            #expect(p50 >= 30_000 && p50 < 1_000_000, "p50 \(p50) µs")
            if let uncorrected = step.uncorrectedLatency {
                #expect(uncorrected.microseconds(atPercentile: 50) >= 30_000)
                #expect(p50 >= uncorrected.microseconds(atPercentile: 50))
            }
        }

        @Test("with too few clients for the rate, the starts that find none free are dropped and counted")
        func dropsWhenClientsAreBusy() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { model: open, rate: 100/s, duration: 1s, maxVUs: 1 }
                steps:
                  - call_tool: { name: slow, arguments: { ms: 50 } }
                """)
            let pacing = try #require(result.pacing)
            #expect(pacing.dispatched == 100)
            // One client busy 50 ms per call can take at most about one start in five.
            #expect(pacing.dropped >= 60)
            #expect(result.totals.attempts + pacing.dropped == 100)
        }
    }
}
