import Foundation
import MCPLoadJSONRPC

extension RunResult {
    /// How many servers' stderr tails a result keeps: enough to see a pattern, not a log archive.
    package static let stderrTailLimit = 5

    /// Merges the clients' recorders, and what the run measured itself, once, at the end.
    /// `loadStartedAt`: a scheduled start (`--start-at`), from which the run's time counts.
    package init(
        runID: String,
        scenario: ScenarioInfo,
        status: Status,
        statusReason: String?,
        startedAt: Date,
        finishedAt: Date,
        recorders: [Recorder],
        run: RunMeasurements = RunMeasurements(),
        loadStartedAt: Date? = nil
    ) {
        var merged = MergedRecorders(run)
        for recorder in recorders.sorted(by: { $0.virtualClient < $1.virtualClient }) { merged.add(recorder) }
        var pacing = run.pacing
        if let startLag = merged.startLag { pacing?.startLag.merge(startLag) }
        merged.iterations.dropped = pacing?.dropped ?? 0
        // A run told to start its load later (--start-at) is timed from then: waiting is not load.
        let elapsed = max(finishedAt.timeIntervalSince(max(startedAt, loadStartedAt ?? startedAt)), 1e-9)
        self.init(
            runID: runID,
            scenario: scenario,
            status: status,
            statusReason: statusReason,
            startedAt: startedAt,
            finishedAt: finishedAt,
            durationSeconds: elapsed,
            totals: Totals(steps: merged.steps, elapsedSeconds: elapsed),
            session: merged.session,
            steps: merged.steps,
            protocolTraffic: merged.traffic,
            iterations: merged.iterations,
            servers: ServerInfo(stderrTails: merged.tails),
            proxy: run.fanIn)
        self.pacing = pacing
        self.leaks = merged.leaks?.statistics
        self.audit = merged.toolSurface.map(ToolSurfaceAudit.init)
        self.replicas = merged.replicas
    }
}

/// The clients' recorders added up, one after another, onto what the run measured itself.
private struct MergedRecorders {
    var steps: [StepStatistics] = []
    var session: SessionStatistics
    var traffic: ProtocolStatistics
    var iterations = RunResult.IterationCounts(completed: 0, abandoned: 0)
    var tails: [RunResult.StderrTail] = []
    var leaks: LeakTally?
    var toolSurface: ToolSurfaceTally?
    var startLag: LatencyHistogram?
    var replicas: ReplicaTally?

    init(_ run: RunMeasurements) {
        session = run.sessions
        traffic = run.protocolTraffic
        if !run.stderrTail.isEmpty { tails.append(RunResult.StderrTail(virtualClient: 0, lines: run.stderrTail)) }
    }

    mutating func add(_ recorder: Recorder) {
        for step in recorder.steps { steps.add(step) }
        session.merge(recorder.session)
        traffic.merge(recorder.protocolTraffic)
        iterations.completed += recorder.iterationsCompleted
        iterations.abandoned += recorder.iterationsAbandoned
        if let tally = recorder.leaks {
            if leaks == nil { leaks = tally } else { leaks?.merge(tally) }
        }
        if let tally = recorder.toolSurface {
            if toolSurface == nil { toolSurface = tally } else { toolSurface?.merge(tally) }
        }
        if let tally = recorder.replicas {
            if replicas == nil { replicas = tally } else { replicas?.merge(tally) }
        }
        if let lag = recorder.startLag {
            startLag = startLag ?? LatencyHistogram()
            startLag?.merge(lag)
        }
        if !recorder.stderrTail.isEmpty, tails.count < RunResult.stderrTailLimit {
            tails.append(RunResult.StderrTail(virtualClient: recorder.virtualClient, lines: recorder.stderrTail))
        }
    }
}

extension RunResult.Totals {
    init(steps: [StepStatistics], elapsedSeconds: Double) {
        var failures = FailureTally()
        for step in steps { failures.merge(step.failures) }
        let attempts = steps.reduce(0) { $0 + $1.attempts }
        let successes = steps.reduce(0) { $0 + $1.successes }
        self.init(
            attempts: attempts,
            successes: successes,
            failures: failures,
            neverSent: failures.notSent,
            sentAndFailed: failures.total - failures.notSent,
            requestsPerSecond: Double(attempts) / elapsedSeconds,
            bytesOut: steps.reduce(0) { $0 + $1.bytesOut },
            bytesIn: steps.reduce(0) { $0 + $1.bytesIn })
    }

    package var failureRate: Double { attempts == 0 ? 0 : Double(failures.total) / Double(attempts) }
}

extension RunResult {
    private static func firstNumberOutOfRange(in value: JSONValue, path: String) -> String? {
        switch value {
        case .int(let number): return abs(Double(number)) > largestNumber ? path : nil
        case .double(let number): return !number.isFinite || abs(number) > largestNumber ? path : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = firstNumberOutOfRange(in: element, path: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            for (key, member) in members {
                if let found = firstNumberOutOfRange(in: member, path: path.isEmpty ? key : "\(path).\(key)") {
                    return found
                }
            }
            return nil
        default: return nil
        }
    }

    /// result.json's bytes: pretty, keys sorted, so diffs of two results are readable.
    package func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Milliseconds: shards' start times are compared to a fraction of a second.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.timestampFormat))
        }
        return try encoder.encode(self)
    }

    /// `2026-11-30T05:58:31.123Z`.
    private static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The largest number a result file may hold: no run counts 2^48 of anything, and sums of
    /// 65,536 such counts still fit in 64 bits, so no report of a doctored file can overflow.
    package static let largestNumber = Double(1 << 48)

    /// Reads a result.json. A file with a number beyond ``largestNumber`` (or not finite) is
    /// refused before decoding: mcpload never wrote it, and its arithmetic would not be safe.
    package static func decode(from data: Data) throws -> RunResult {
        let value = try JSONParser.parse(data)
        if let path = firstNumberOutOfRange(in: value, path: "") {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "\(path): a number beyond what any run counts"))
        }
        let decoder = JSONDecoder()
        // With or without fractions: results written before milliseconds were kept still load.
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Self.timestampFormat.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 time"))
        }
        return try decoder.decode(RunResult.self, from: data)
    }
}
