/// A ceiling search under way, as a value: which step runs next, and when the search is over
/// and why. The command runs each step it is given and feeds back what the step measured;
/// every decision is here, tested without running anything.
package struct CeilingProgress: Sendable {
    package let search: CeilingSearch
    private let rates: [Double]
    package private(set) var steps: [CeilingOutcome.Step] = []
    /// Why the search stopped; nil while it goes on.
    package private(set) var stoppedBecause: String?

    package init(_ search: CeilingSearch) {
        self.search = search
        rates = search.rates
    }

    /// The next step: its index, its rate, and the scenario to run at that rate (`scenario`
    /// with the step's open model and `until` thresholds); nil once the search is over.
    package mutating func nextStep(of scenario: Scenario, interrupted: Bool) -> (index: Int, scenario: Scenario)? {
        guard stoppedBecause == nil else { return nil }
        if interrupted {
            stoppedBecause = "interrupted"
            return nil
        }
        guard steps.count < rates.count else {
            stoppedBecause = "every rate up to \(DurationText.rounded(search.maximum, places: 1))/s held"
            return nil
        }
        let rate = rates[steps.count]
        var step = scenario
        step.load.pacer = search.pacer(atRate: rate)
        step.thresholds = search.until
        step.variantLabel = Self.label(rate)
        return (steps.count, step)
    }

    /// What the last step given measured; `completed` is false when its run did not complete
    /// (interrupted, or it could not start).
    package mutating func record(_ step: CeilingOutcome.Step, completed: Bool) {
        steps.append(step)
        if !step.held {
            stoppedBecause = completed ? "\(Self.label(step.targetRate)) broke a threshold" : "interrupted"
        }
    }

    /// The search's outcome, once it is over.
    package var outcome: CeilingOutcome {
        CeilingOutcome(
            steps: steps, highestHeldRate: steps.last(where: \.held)?.targetRate,
            stoppedBecause: stoppedBecause ?? "interrupted")
    }

    /// Whether the search found nothing to report: the first step sent nothing and did not hold.
    package var foundNothing: Bool {
        steps.first.map { $0.requests == 0 && !$0.held } ?? false
    }

    private static func label(_ rate: Double) -> String {
        "\(DurationText.rounded(rate, places: 1))/s"
    }
}
