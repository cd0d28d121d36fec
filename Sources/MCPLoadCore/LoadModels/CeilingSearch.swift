/// The ceiling model: the open model at a rising rate, one held step after another, until a
/// step breaks one of the `until` thresholds. The highest rate that held is the server's
/// ceiling under this scenario.
public struct CeilingSearch: Sendable, Hashable {
    /// The first step's rate, and how much each next step adds (iterations per second).
    public var start: Double
    public var step: Double
    /// How long each rate is held.
    public var hold: Duration
    /// The last rate tried even if everything still holds: the search is bounded.
    public var maximum: Double
    /// Conditions every step must meet; the first step that breaks one ends the search.
    public var until: [Threshold]

    public init(start: Double, step: Double, hold: Duration, maximum: Double, until: [Threshold]) {
        self.start = start
        self.step = step
        self.hold = hold
        self.maximum = maximum
        self.until = until
    }

    /// A search longer than this is a typo in `step`, not a plan.
    public static let maximumSteps = 1000

    /// The rates to try, in order.
    public var rates: [Double] {
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
    public func pacer(atRate rate: Double) -> Pacer {
        Pacer(rate: rate, stages: [], duration: hold)
    }
}

/// What a ceiling search found: every step tried, and the highest rate that held.
public struct CeilingOutcome: Sendable, Equatable, Codable {
    public var steps: [Step]
    /// The highest rate whose step met every `until` threshold; nil when the first step broke one.
    public var highestHeldRate: Double?
    /// Why the search stopped: a broken threshold, the maximum rate reached, or an interruption.
    public var stoppedBecause: String

    public struct Step: Sendable, Equatable, Codable {
        public var targetRate: Double
        public var achievedRate: Double
        public var requests: UInt64
        public var failureRate: Double
        /// Microseconds, of successful requests, all steps together; nil without any.
        public var p50: UInt64?
        public var p99: UInt64?
        public var dropped: UInt64
        public var thresholds: [ThresholdOutcome]
        public var held: Bool
        /// Where this step's result.json was written, relative to the run's folder.
        public var resultFolder: String

        public init(
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

    public init(steps: [Step], highestHeldRate: Double?, stoppedBecause: String) {
        self.steps = steps
        self.highestHeldRate = highestHeldRate
        self.stoppedBecause = stoppedBecause
    }
}
