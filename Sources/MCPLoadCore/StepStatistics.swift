/// Everything measured for one step: attempts, outcomes, latency, bytes. Mergeable across clients.
public struct StepStatistics: Sendable, Equatable, Codable {
    public var label: String
    public var attempts: UInt64 = 0
    public var successes: UInt64 = 0
    public var failures = FailureTally()
    public var bytesOut: UInt64 = 0
    public var bytesIn: UInt64 = 0
    /// Latency of successful attempts. In the open model it counts from when the attempt's
    /// iteration was due, not from the send: a server that stalls delays the starts after it,
    /// and that wait is part of what a user of the server sees (coordinated-omission correction).
    public var latency = LatencyHistogram()
    /// Open model only: the same attempts measured from the send, kept beside the corrected figure.
    public var uncorrectedLatency: LatencyHistogram?
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
            if let lag = sample.startLag {
                latency.record(StartLag.corrected(sample.latency, lag: lag))
                uncorrectedLatency = uncorrectedLatency ?? LatencyHistogram()
                uncorrectedLatency?.record(sample.latency)
            } else {
                latency.record(sample.latency)
            }
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
        if let theirs = other.uncorrectedLatency {
            uncorrectedLatency = uncorrectedLatency ?? LatencyHistogram()
            uncorrectedLatency?.merge(theirs)
        }
    }

    public var failureRate: Double { attempts == 0 ? 0 : Double(failures.total) / Double(attempts) }
}
