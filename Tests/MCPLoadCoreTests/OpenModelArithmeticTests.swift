import Testing

@testable import MCPLoadCore

/// The open model's arithmetic, exactly: no clock, no process.
@Suite("Open model arithmetic")
struct OpenModelArithmeticTests {
    @Test("a constant rate schedules arrival n at n / rate, and no more than the duration holds")
    func constantRate() {
        let pacer = Pacer(rate: 100, stages: [], duration: .seconds(1))
        #expect(pacer.offset(ofArrival: 0) == .zero)
        #expect(pacer.offset(ofArrival: 1) == .milliseconds(10))
        #expect(pacer.offset(ofArrival: 99) == .milliseconds(990))
        #expect(pacer.offset(ofArrival: 100) == nil)
        #expect(pacer.expectedArrivals == 100)
        #expect(pacer.summary == "100/s for 1.00s")
    }

    @Test("a linear ramp from 0 to 100/s over 2 s: 100 arrivals, arrival n at √(n / 25) s")
    func ramp() {
        let pacer = Pacer(rate: 0, stages: [RateStage(to: 100, over: .seconds(2))], duration: nil)
        #expect(pacer.expectedArrivals == 100)
        #expect(pacer.offset(ofArrival: 0) == .zero)
        #expect(pacer.offset(ofArrival: 25) == .seconds(1))
        #expect(pacer.offset(ofArrival: 64) == .milliseconds(1600))
        #expect(pacer.offset(ofArrival: 100) == nil)
    }

    @Test("stages chain: a hold after a ramp continues where the ramp ended")
    func stages() {
        let pacer = Pacer(
            rate: 50, stages: [RateStage(to: 150, over: .seconds(1)), RateStage(to: 150, over: .seconds(1))],
            duration: nil)
        // The ramp holds (50 + 150) / 2 × 1 s = 100 arrivals; then 150/s from t = 1 s.
        #expect(pacer.expectedArrivals == 250)
        #expect(pacer.offset(ofArrival: 100) == .seconds(1))
        #expect(pacer.offset(ofArrival: 115) == .milliseconds(1100))
        #expect(pacer.duration == .seconds(2))
        #expect(pacer.summary == "50/s → 150/s over 1.00s → 150/s over 1.00s")
    }

    @Test("a ramp down solves the same equation on the falling side")
    func rampDown() {
        let pacer = Pacer(rate: 100, stages: [RateStage(to: 0, over: .seconds(2))], duration: nil)
        #expect(pacer.expectedArrivals == 100)
        // 100t − 25t² = 75 → t = 1 s.
        #expect(pacer.offset(ofArrival: 75) == .seconds(1))
        // 100t − 25t² = 99 → t = (100 − √100) / 50 = 1.8 s.
        #expect(pacer.offset(ofArrival: 99) == .milliseconds(1800))
    }

    @Test("a stalled start shows in the corrected percentiles and not in the uncorrected ones, exactly")
    func stallCorrection() {
        var statistics = StepStatistics(label: "call echo")
        // 100 calls of 1 ms each; the 10 that followed a 200 ms stall started up to 200 ms late.
        for index in 0..<100 {
            var sample = Sample(stepIndex: 0, outcome: .success, latency: .milliseconds(1), bytesOut: 1, bytesIn: 1)
            sample.startLag = index < 90 ? .zero : .milliseconds(20 * (100 - index))
            statistics.record(sample)
        }
        let uncorrected = statistics.uncorrectedLatency ?? LatencyHistogram()
        #expect(uncorrected.microseconds(atPercentile: 99) < 1010)
        #expect(statistics.latency.microseconds(atPercentile: 50) < 1010)
        // The slowest corrected call waited 200 ms to start and took 1 ms.
        #expect((200_900...201_100).contains(statistics.latency.maxMicroseconds))
        #expect(statistics.latency.microseconds(atPercentile: 95) >= 100_000)
        #expect(StartLag.corrected(.milliseconds(5), lag: .milliseconds(-3)) == .milliseconds(5))
    }

    @Test(
        "open-model mistakes are located errors",
        arguments: [
            ("load: { model: open, duration: 10s }", "s.yaml:2: the open model needs 'rate'"),
            ("load: { model: open, rate: 100/s }", "s.yaml:2: the open model needs 'duration'"),
            ("load: { model: open, rate: fast, duration: 1s }", "s.yaml:2: load.rate: 'fast' is not a rate"),
            ("load: { model: open, rate: 10/s, duration: 1s, vus: 5 }", "s.yaml:2: 'vus' belongs to the closed model"),
            (
                "load: { model: open, stages: [{ to: 10/s, over: 1s }], duration: 1s }",
                "s.yaml:2: with stages, the run lasts as long as they do"
            ),
            ("load: { rate: 10/s, duration: 1s }", "s.yaml:2: 'rate' belongs to the open model"),
            ("load: { model: steady }", "s.yaml:2: load model 'steady' is not one of closed, open, ceiling"),
        ])
    func errors(load: String, expected: String) {
        let message = ScenarioText.error("target: { builtin: demo }\n\(load)\nsteps: [ping]")
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "parsed")")
    }

    @Test("an open model parses into its pacer, with maxVUs as the client cap")
    func parses() throws {
        let scenario = try ScenarioText.parse(
            "target: { builtin: demo }\nload: { model: open, rate: 200/s, duration: 30s, maxVUs: 50 }\nsteps: [ping]"
        )
        #expect(scenario.load.pacer == Pacer(rate: 200, stages: [], duration: .seconds(30)))
        #expect(scenario.load.virtualClients == 50)
        #expect(scenario.load.duration == .seconds(30))
        #expect(scenario.load.iterations == nil)
    }
}

@Suite("Ceiling model")
struct CeilingModelTests {
    private func parse(_ load: String) throws(ScenarioError) -> Scenario {
        try ScenarioText.parse("target: { builtin: demo }\nload: \(load)\nsteps: [{ call_tool: { name: echo } }]")
    }

    @Test("start, step, hold, max and until parse into a bounded list of rates, each an open-model step")
    func parses() throws {
        let scenario = try parse(
            "{ model: ceiling, start: 50/s, step: 25/s, hold: 5s, max: 150/s, maxVUs: 30, until: [\"p99(call echo) < 250ms\"] }"
        )
        let search = try #require(scenario.load.ceiling)
        #expect(search.rates == [50, 75, 100, 125, 150])
        #expect(search.hold == .seconds(5))
        #expect(search.until.map(\.expression) == ["p99(call echo) < 250ms"])
        #expect(search.pacer(atRate: 75) == Pacer(rate: 75, stages: [], duration: .seconds(5)))
        #expect(scenario.load.virtualClients == 30)
        // Without max: twenty steps.
        let unbounded = try parse(
            "{ model: ceiling, start: 10/s, step: 10/s, hold: 1s, until: [\"failure_rate < 1%\"] }")
        #expect(unbounded.load.ceiling?.rates.count == 20)
    }

    @Test(
        "ceiling mistakes are located errors",
        arguments: [
            ("{ model: ceiling, start: 10/s, step: 10/s, hold: 1s }", "s.yaml:2: the ceiling model needs 'until'"),
            (
                "{ model: ceiling, step: 10/s, hold: 1s, until: [\"errors == 0\"] }",
                "s.yaml:2: the ceiling model needs 'start'"
            ),
            (
                "{ model: ceiling, start: 10/s, step: 10/s, hold: 1s, until: [\"p99(call ech) < 1s\"] }",
                "s.yaml:2: threshold 'p99(call ech) < 1s': no step labelled"
            ),
            (
                "{ model: ceiling, start: 10/s, step: 10/s, hold: 1s, rate: 5/s, until: [\"errors == 0\"] }",
                "s.yaml:2: 'rate' belongs to the open model"
            ),
            (
                "{ model: open, rate: 5/s, duration: 1s, until: [\"errors == 0\"] }",
                "s.yaml:2: 'until' belongs to the ceiling model"
            ),
        ])
    func errors(load: String, expected: String) {
        do {
            _ = try parse(load)
            Issue.record("parsed")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
