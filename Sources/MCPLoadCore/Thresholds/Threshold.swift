/// A pass/fail condition on a run's result, as written in a scenario or on the command line:
/// `failure_rate < 1%`, `p99(call echo) < 250ms`, `rate >= 200/s`, `errors.timeout == 0`.
///
/// Evaluated once the run is over (``ThresholdEvaluator``); one that fails makes the run exit 1.
package struct Threshold: Sendable, Hashable {
    /// The text as written, for messages and reports.
    package var expression: String
    package var metric: ThresholdMetric
    package var comparison: Comparison
    /// The limit in the metric's unit: microseconds for latencies, a fraction for rates of
    /// failure, per second for request rates, a count otherwise.
    package var limit: Double
    /// Checked every second while the run goes too; breaking it drains the run at once.
    package var abortOnFail = false
    /// How far into the run the live check begins (early seconds are noisy).
    package var abortAfter: Duration = .seconds(1)

    package enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<"
        case atMost = "<="
        case greaterThan = ">"
        case atLeast = ">="
        case equal = "=="
        case notEqual = "!="

        package func holds(_ measured: Double, _ limit: Double) -> Bool {
            switch self {
            case .lessThan: measured < limit
            case .atMost: measured <= limit
            case .greaterThan: measured > limit
            case .atLeast: measured >= limit
            case .equal: measured == limit
            case .notEqual: measured != limit
            }
        }
    }

    package init(expression: String, metric: ThresholdMetric, comparison: Comparison, limit: Double) {
        self.expression = expression
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }
}

/// What a threshold measures. `step` is a step label (`call echo`), or nil for every step.
package enum ThresholdMetric: Sendable, Hashable {
    /// Failed attempts over attempts (a fraction).
    case failureRate(step: String?)
    /// A latency statistic of successful attempts, in microseconds; `sessionSetup` for the handshake.
    case latency(LatencyStatistic, of: LatencyScope)
    /// Attempts per second of the run's duration.
    case requestRate(step: String?)
    /// Failed attempts of one class (nil: every class), of one code within it (nil: every code).
    case failures(FailureClass?, code: Int64?, step: String?)
    case attempts(step: String?)
    case successes(step: String?)
    case neverSent(step: String?)
    case sentAndFailed(step: String?)
    /// Sessions that could not be opened, and sessions the server expired (HTTP 404).
    case sessionsFailed
    case sessionsExpired
    /// Iterations the load model could not start on time for want of a free client (open model).
    case dropped
    /// Answers with an id their session never sent (another session's answer).
    case misrouted
    /// A leak count (`leaks:`), of one detector or of all.
    case leaks(LeakDetector?, LeakCounter)

    /// A tool-surface audit figure (`audit.findings`, `audit.poisoning`, `audit.tools`).
    case audit(AuditCounter)
    /// How the servers' memory grew per 1,000 sessions closed (`server.rss_per_1k_sessions`).
    case serverMemoryPerThousandSessions
    /// Sessions the server still held per 1,000 sessions closed, by its own count
    /// (`server.sessions_held_per_1k`, with `target.sessionCount`).
    case serverSessionsHeldPerThousand
    /// An authentication figure (`auth.refreshes`, `auth.token_failures`, …), with `auth:`.
    case auth(AuthCounter)

    /// The figures of ``AuthStatistics`` a threshold can read.
    package enum AuthCounter: String, Sendable, Hashable, CaseIterable {
        case tokenRequests = "token_requests"
        case tokenFailures = "token_failures"
        case refreshes
        case rejected
        case insufficientScope = "insufficient_scope"
        case retries
        case retired
    }

    /// The figures of ``ToolSurfaceAudit`` a threshold can read.
    package enum AuditCounter: String, Sendable, Hashable, CaseIterable {
        case findings, poisoning, schema, annotations
        case rugPull = "rug_pull"
        case tools
        case bytesPerSession = "bytes_per_session"
    }

    /// The counts of ``LeakStatistics`` a threshold can read.
    package enum LeakCounter: String, Sendable, Hashable, CaseIterable {
        case exposed, retransmitted
        case crossSession = "cross_session"
        case crossIdentity = "cross_identity"
        case unique
    }

    /// The unit a limit must be written in.
    package enum Unit: Sendable, Hashable {
        case duration, fraction, perSecond, count, bytes
    }

    package var unit: Unit {
        switch self {
        case .latency: .duration
        case .failureRate: .fraction
        case .requestRate: .perSecond
        case .serverMemoryPerThousandSessions: .bytes
        default: .count
        }
    }

    /// Whether the metric can be read while the run goes: live totals cover the whole run, not
    /// one step, and keep no mean.
    package var isLive: Bool {
        switch self {
        case .failureRate(nil), .requestRate(nil), .failures(_, nil, nil), .attempts(nil), .successes(nil),
            .neverSent(nil), .sentAndFailed(nil):
            true
        case .latency(.percentile, .allSteps), .latency(.max, .allSteps): true
        default: false
        }
    }

    /// The step label the metric is about, if it names one.
    package var step: String? {
        switch self {
        case .failureRate(let step), .requestRate(let step), .failures(_, _, let step), .attempts(let step),
            .successes(let step), .neverSent(let step), .sentAndFailed(let step):
            step
        case .latency(_, .step(let step)): step
        case .latency, .sessionsFailed, .sessionsExpired, .dropped, .misrouted, .leaks, .audit,
            .serverMemoryPerThousandSessions, .serverSessionsHeldPerThousand, .auth:
            nil
        }
    }
}

/// Which latencies a latency threshold reads.
package enum LatencyScope: Sendable, Hashable {
    /// Every step's successful attempts together.
    case allSteps
    case step(String)
    /// Session setup: spawn or connect plus the handshake.
    case sessionSetup
    /// The token endpoint's answers (`p99(token)`), apart from every MCP latency.
    case tokenEndpoint
}

/// A statistic of a latency histogram.
package enum LatencyStatistic: Sendable, Hashable {
    case percentile(Double)
    case mean
    case max
    case min
}
