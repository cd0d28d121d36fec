/// One virtual client's measurements, owned by that client alone: recording takes no lock.
///
/// Steps are indexed by their position in the scenario so the hot path is an array access;
/// labels are only joined when recorders merge into a ``RunResult``.
package struct Recorder: Sendable {
    package let virtualClient: Int
    package private(set) var steps: [StepStatistics]
    package var session = SessionStatistics()
    package var protocolTraffic = ProtocolStatistics()
    package var iterationsCompleted: UInt64 = 0
    /// Iterations cut short by a failure that ended the session, or by the end of the run.
    package var iterationsAbandoned: UInt64 = 0
    /// The last lines the server wrote to stderr, for the report.
    package var stderrTail: [String] = []
    /// What the leak scanner found in this client's traffic (nil when scanning is off).
    package var leaks: LeakTally?
    /// The `tools/list` answers this client's sessions got, for the tool-surface audit.
    package var toolSurface: ToolSurfaceTally?
    /// Open model: how late each of this client's iterations started against its schedule.
    package var startLag: LatencyHistogram?
    /// Which replicas answered this client's sessions, when the target names them.
    package var replicas: ReplicaTally?

    /// Hides the run's secrets in failure messages before they are kept.
    package var redactor = Redactor.none
    /// The last failure message redacted, and the result: failures come in runs of one message.
    private var lastRedacted: (raw: String, kept: String)?

    /// How much of a failure's message is kept (redacted first, then cut).
    package static let messageLimit = 300

    /// For each scenario step, its slot in `steps`; nil for steps that send no request.
    private let slots: [Int?]

    package init(virtualClient: Int, steps scenarioSteps: [Step]) {
        self.virtualClient = virtualClient
        var slots: [Int?] = []
        var steps: [StepStatistics] = []
        for step in scenarioSteps {
            guard step.isRequest else {
                slots.append(nil)
                continue
            }
            slots.append(steps.count)
            steps.append(StepStatistics(label: step.label))
        }
        self.slots = slots
        self.steps = steps
    }

    package mutating func record(_ sample: Sample) {
        guard slots.indices.contains(sample.stepIndex), let slot = slots[sample.stepIndex] else { return }
        guard case .failure(let failure) = sample.outcome else {
            steps[slot].record(sample)
            return
        }
        var kept = sample
        kept.outcome = .failure(keepable(failure))
        steps[slot].record(kept)
    }

    /// `failure` with its message redacted, then cut to ``messageLimit``: a server's words in it
    /// (an error message, an echoed body) may be long and may hold what must not be shown.
    private mutating func keepable(_ failure: Failure) -> Failure {
        var failure = failure
        if let last = lastRedacted, last.raw == failure.message {
            failure.message = last.kept
        } else {
            let kept = redactor.excerpt(failure.message, limit: Self.messageLimit)
            lastRedacted = (failure.message, kept)
            failure.message = kept
        }
        return failure
    }

    package mutating func recordSessionOpened(setup: Duration, protocolVersion: String) {
        if session.opened > 0 || session.setupFailures.total > 0 { session.reopened += 1 }
        session.opened += 1
        session.setupLatency.record(setup)
        session.protocolVersions[protocolVersion, default: 0] += 1
    }

    /// Keeps the last `limit` stderr lines across this client's server processes, oldest first.
    package mutating func mergeReplicas(_ tally: ReplicaTally) {
        if replicas == nil { replicas = tally } else { replicas?.merge(tally) }
    }

    package mutating func appendStderr(_ lines: [String], limit: Int = 20) {
        stderrTail.append(contentsOf: lines)
        if stderrTail.count > limit { stderrTail.removeFirst(stderrTail.count - limit) }
    }

    package mutating func recordSessionFailed(_ failure: Failure) {
        session.setupFailures.record(keepable(failure))
    }
}
