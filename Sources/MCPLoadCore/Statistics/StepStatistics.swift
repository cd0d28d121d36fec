/// Everything measured for one step: attempts, outcomes, latency, bytes. Mergeable across clients.
package struct StepStatistics: Sendable, Equatable, Codable {
    package var label: String
    package var attempts: UInt64 = 0
    package var successes: UInt64 = 0
    package var failures = FailureTally()
    package var bytesOut: UInt64 = 0
    package var bytesIn: UInt64 = 0
    /// Latency of successful attempts. In the open model it counts from when the attempt's
    /// iteration was due, not from the send: a server that stalls delays the starts after it,
    /// and that wait is part of what a user of the server sees (coordinated-omission correction).
    package var latency = LatencyHistogram()
    /// Open model only: the same attempts measured from the send, kept beside the corrected figure.
    package var uncorrectedLatency: LatencyHistogram?
    /// Latency of attempts that were sent and then failed (timeouts included, at their timeout).
    package var failedLatency = LatencyHistogram()
    /// Attempts that were retries (`retry:`), the bytes they sent again, and how many succeeded.
    package var retries: UInt64 = 0
    package var bytesResent: UInt64 = 0
    package var retrySuccesses: UInt64 = 0
    /// Bytes of transcript the requests carried (`history:`), part of `bytesOut`.
    package var bytesCarried: UInt64 = 0

    package init(label: String) {
        self.label = label
    }

    package mutating func record(_ sample: Sample) {
        attempts += 1
        bytesOut += UInt64(sample.bytesOut)
        bytesIn += UInt64(sample.bytesIn)
        bytesCarried += UInt64(sample.bytesCarried)
        if sample.isRetry {
            retries += 1
            bytesResent += UInt64(sample.bytesOut)
            if case .success = sample.outcome { retrySuccesses += 1 }
        }
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

    package mutating func merge(_ other: StepStatistics) {
        attempts += other.attempts
        successes += other.successes
        failures.merge(other.failures)
        bytesOut += other.bytesOut
        bytesIn += other.bytesIn
        latency.merge(other.latency)
        failedLatency.merge(other.failedLatency)
        retries += other.retries
        bytesResent += other.bytesResent
        retrySuccesses += other.retrySuccesses
        bytesCarried += other.bytesCarried
        if let theirs = other.uncorrectedLatency {
            uncorrectedLatency = uncorrectedLatency ?? LatencyHistogram()
            uncorrectedLatency?.merge(theirs)
        }
    }

    package var failureRate: Double { attempts == 0 ? 0 : Double(failures.total) / Double(attempts) }

    private enum CodingKeys: String, CodingKey {
        case label, attempts, successes, failures, bytesOut, bytesIn, latency, uncorrectedLatency, failedLatency
        case retries, bytesResent, retrySuccesses, bytesCarried
    }

    /// Counters added within schema v1 (retries) read as 0 from results written before them.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decode(String.self, forKey: .label)
        attempts = try container.decode(UInt64.self, forKey: .attempts)
        successes = try container.decode(UInt64.self, forKey: .successes)
        failures = try container.decode(FailureTally.self, forKey: .failures)
        bytesOut = try container.decode(UInt64.self, forKey: .bytesOut)
        bytesIn = try container.decode(UInt64.self, forKey: .bytesIn)
        latency = try container.decode(LatencyHistogram.self, forKey: .latency)
        uncorrectedLatency = try container.decodeIfPresent(LatencyHistogram.self, forKey: .uncorrectedLatency)
        failedLatency = try container.decode(LatencyHistogram.self, forKey: .failedLatency)
        retries = try container.decodeIfPresent(UInt64.self, forKey: .retries) ?? 0
        bytesResent = try container.decodeIfPresent(UInt64.self, forKey: .bytesResent) ?? 0
        retrySuccesses = try container.decodeIfPresent(UInt64.self, forKey: .retrySuccesses) ?? 0
        bytesCarried = try container.decodeIfPresent(UInt64.self, forKey: .bytesCarried) ?? 0
    }
}

extension [StepStatistics] {
    /// Adds `step` to the one with its label, or appends it: steps sharing a label are one.
    package mutating func add(_ step: StepStatistics) {
        if let index = firstIndex(where: { $0.label == step.label }) {
            self[index].merge(step)
        } else {
            append(step)
        }
    }
}
