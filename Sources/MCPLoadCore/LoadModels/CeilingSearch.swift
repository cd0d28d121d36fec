/// The ceiling model: the open model at a rising rate, one held step after another, until a
/// step breaks one of the `until` thresholds. The highest rate that held is the server's
/// ceiling under this scenario.
package struct CeilingSearch: Sendable, Hashable {
    /// The first step's rate, and how much each next step adds (iterations per second).
    package var start: Double
    package var step: Double
    /// How long each rate is held.
    package var hold: Duration
    /// The last rate tried even if everything still holds: the search is bounded.
    package var maximum: Double
    /// Conditions every step must meet; the first step that breaks one ends the search.
    package var until: [Threshold]

    package init(start: Double, step: Double, hold: Duration, maximum: Double, until: [Threshold]) {
        self.start = start
        self.step = step
        self.hold = hold
        self.maximum = maximum
        self.until = until
    }

    /// A search longer than this is a typo in `step`, not a plan.
    package static let maximumSteps = 1000

    /// The rates to try, in order.
    package var rates: [Double] {
        guard step > 0 else { return [start] }
        var rates: [Double] = []
        var rate = start
        while rate <= maximum + 1e-9 && rates.count < Self.maximumSteps {
            rates.append(rate)
            rate += step
        }
        return rates
    }

    /// The open model of one step.
    package func pacer(atRate rate: Double) -> Pacer {
        Pacer(rate: rate, stages: [], duration: hold)
    }
}

/// What a ceiling search found: every step tried, and the highest rate that held.
package struct CeilingOutcome: Sendable, Equatable, Codable {
    package var steps: [Step]
    /// The highest rate whose step met every `until` threshold; nil when the first step broke one.
    package var highestHeldRate: Double?
    /// Why the search stopped: a broken threshold, the maximum rate reached, or an interruption.
    package var stoppedBecause: String

    package struct Step: Sendable, Equatable, Codable {
        package var targetRate: Double
        package var achievedRate: Double
        package var requests: UInt64
        package var failureRate: Double
        /// Microseconds, of successful requests, all steps together; nil without any.
        package var p50: UInt64?
        package var p99: UInt64?
        package var dropped: UInt64
        package var thresholds: [ThresholdOutcome]
        package var held: Bool
        /// Where this step's result.json was written, relative to the run's folder.
        package var resultFolder: String

        package init(
            targetRate: Double, achievedRate: Double, requests: UInt64, failureRate: Double, p50: UInt64?,
            p99: UInt64?, dropped: UInt64, thresholds: [ThresholdOutcome], held: Bool, resultFolder: String
        ) {
            self.targetRate = targetRate
            self.achievedRate = achievedRate
            self.requests = requests
            self.failureRate = failureRate
            self.p50 = p50
            self.p99 = p99
            self.dropped = dropped
            self.thresholds = thresholds
            self.held = held
            self.resultFolder = resultFolder
        }
    }

    package init(steps: [Step], highestHeldRate: Double?, stoppedBecause: String) {
        self.steps = steps
        self.highestHeldRate = highestHeldRate
        self.stoppedBecause = stoppedBecause
    }
}
