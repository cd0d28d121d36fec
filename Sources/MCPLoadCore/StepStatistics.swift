/// Everything measured for one step: attempts, outcomes, latency, bytes. Mergeable across clients.
public struct StepStatistics: Sendable, Equatable, Codable {
    public var label: String
    public var attempts: UInt64 = 0
    public var successes: UInt64 = 0
    public var failures = FailureTally()
    public var bytesOut: UInt64 = 0
    public var bytesIn: UInt64 = 0
    /// Latency of successful attempts.
    public var latency = LatencyHistogram()
    /// Latency of attempts that were sent and then failed (timeouts included, at their timeout).
    public var failedLatency = LatencyHistogram()

    public init(label: String) {
        self.label = label
    }

    public mutating func record(_ sample: Sample) {
        attempts += 1
        bytesOut += UInt64(sample.bytesOut)
        bytesIn += UInt64(sample.bytesIn)
        switch sample.outcome {
        case .success:
            successes += 1
            latency.record(sample.latency)
        case .failure(let failure):
            failures.record(failure)
            if failure.failureClass.wasSent { failedLatency.record(sample.latency) }
        }
    }

    public mutating func merge(_ other: StepStatistics) {
        attempts += other.attempts
        successes += other.successes
        failures.merge(other.failures)
        bytesOut += other.bytesOut
        bytesIn += other.bytesIn
        latency.merge(other.latency)
        failedLatency.merge(other.failedLatency)
    }

    public var failureRate: Double { attempts == 0 ? 0 : Double(failures.total) / Double(attempts) }
}
