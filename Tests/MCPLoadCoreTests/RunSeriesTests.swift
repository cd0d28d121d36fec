import Testing

@testable import MCPLoadCore

/// What one `mcpload run` runs: the matrix rows it selects, and a ceiling search's steps.
@Suite("Run series: matrix selection and the ceiling search")
struct RunSeriesTests {
    static let matrixScenario = """
        target: { builtin: demo }
        steps: [ping]
        matrix:
          - { label: naive, topology: shared-process, proxy: { ids: passthrough } }
          - { label: per client, topology: process-per-client }
          - { label: http, transport: http }
        """

    @Test("no matrix: the scenario alone; a matrix: one run per row, or the rows --rows names, in the scenario's order")
    func selection() throws {
        let single = try ScenarioText.parse("target: { builtin: demo }\nsteps: [ping]")
        let alone = try MatrixSelection(single, transports: [], rowNames: nil)
        #expect(alone.rows.isEmpty && !alone.rowsAreTheScenarios)
        #expect(alone.variants(of: single).count == 1)

        let scenario = try ScenarioText.parse(Self.matrixScenario)
        let every = try MatrixSelection(scenario, transports: [], rowNames: nil)
        #expect(every.rows.map(\.label) == ["naive", "per client", "http"] && every.rowsAreTheScenarios)
        let two = try MatrixSelection(scenario, transports: [], rowNames: "http, naive")
        #expect(two.variants(of: scenario).map(\.variantLabel) == ["naive", "http"])
    }

    @Test("transports on the command line are a matrix of their own, replacing the scenario's")
    func transportsReplaceRows() throws {
        let scenario = try ScenarioText.parse(Self.matrixScenario)
        let selection = try MatrixSelection(scenario, transports: [.stdio, .http], rowNames: nil)
        #expect(selection.rows.map(\.label) == ["stdio", "http"] && !selection.rowsAreTheScenarios)
        #expect(selection.variants(of: scenario).map(\.target.transport) == [.stdio, .http])
        // One transport is an override of the target, not a matrix.
        #expect(try MatrixSelection(scenario, transports: [.http], rowNames: nil).rowsAreTheScenarios)
    }

    @Test(
        "--rows without a matrix, or naming a row that is not there, is refused in a line",
        arguments: [
            ("target: { builtin: demo }\nsteps: [ping]", "naive", "--rows: the scenario has no matrix"),
            (matrixScenario, "nave", "--rows: no matrix row 'nave'; the rows are: naive, per client, http"),
        ])
    func refusals(yaml: String, rows: String, message: String) throws {
        let scenario = try ScenarioText.parse(yaml)
        #expect(throws: MatrixSelection.Refusal(description: message)) {
            try MatrixSelection(scenario, transports: [], rowNames: rows)
        }
    }

    static func ceiling() throws -> (Scenario, CeilingSearch) {
        let scenario = try ScenarioText.parse(
            """
            target: { builtin: demo }
            load: { model: ceiling, start: 10/s, step: 10/s, hold: 2s, max: 30/s, until: ["failure_rate < 1%"] }
            steps: [ping]
            """)
        return (scenario, try #require(scenario.load.ceiling))
    }

    static func step(rate: Double, held: Bool, requests: UInt64 = 100) -> CeilingOutcome.Step {
        CeilingOutcome.Step(
            targetRate: rate, achievedRate: rate, requests: requests, failureRate: 0, p50: nil, p99: nil, dropped: 0,
            thresholds: [], held: held, resultFolder: "")
    }

    @Test(
        "each step is the open model at the next rate under the until thresholds; the first broken step ends the search"
    )
    func ceilingBreaks() throws {
        let (scenario, search) = try Self.ceiling()
        var progress = CeilingProgress(search)
        let next = progress.nextStep(of: scenario, interrupted: false)
        let first = try #require(next)
        #expect(first.index == 0)
        #expect(first.scenario.load.pacer == search.pacer(atRate: 10))
        #expect(first.scenario.thresholds.map(\.expression) == ["failure_rate < 1%"])
        #expect(first.scenario.variantLabel == "10.0/s")
        progress.record(Self.step(rate: 10, held: true), completed: true)
        let following = progress.nextStep(of: scenario, interrupted: false)
        let second = try #require(following)
        #expect(second.index == 1 && second.scenario.load.pacer == search.pacer(atRate: 20))
        progress.record(Self.step(rate: 20, held: false), completed: true)
        let after = progress.nextStep(of: scenario, interrupted: false)
        #expect(after == nil)
        #expect(progress.outcome.highestHeldRate == 10)
        #expect(progress.outcome.stoppedBecause == "20.0/s broke a threshold")
        #expect(!progress.foundNothing)
    }

    @Test("every rate held: the search ends at its maximum; an interruption ends it where it is")
    func ceilingEnds() throws {
        let (scenario, search) = try Self.ceiling()
        var progress = CeilingProgress(search)
        while let (index, _) = progress.nextStep(of: scenario, interrupted: false) {
            progress.record(Self.step(rate: Double(index + 1) * 10, held: true), completed: true)
        }
        #expect(progress.steps.count == 3)
        #expect(progress.outcome.highestHeldRate == 30)
        #expect(progress.outcome.stoppedBecause == "every rate up to 30.0/s held")

        var interrupted = CeilingProgress(search)
        _ = interrupted.nextStep(of: scenario, interrupted: false)
        // A step cut short by the interruption does not hold, and is not a broken threshold.
        interrupted.record(Self.step(rate: 10, held: false, requests: 0), completed: false)
        let afterInterruption = interrupted.nextStep(of: scenario, interrupted: true)
        #expect(afterInterruption == nil)
        #expect(interrupted.outcome.stoppedBecause == "interrupted")
        #expect(interrupted.outcome.highestHeldRate == nil)
        #expect(interrupted.foundNothing)
    }
}
