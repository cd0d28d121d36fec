import Foundation

/// `mcpload merge`: the results of a sharded run's shards as one result. Counts are exact sums,
/// latency histograms are added bucket by bucket (so the merged percentiles are those of one run
/// that recorded every sample), the timelines are aligned on their wall-clock start, and the
/// thresholds are evaluated again on the merged figures.
package enum ShardMerge {
    /// Why results cannot be merged: they are not shards of one run.
    package struct Refusal: Error, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// One result, with where it came from (for messages).
    package struct Input: Sendable {
        package var result: RunResult
        package var source: String

        package init(result: RunResult, source: String) {
            self.result = result
            self.source = source
        }
    }

    package static func merge(_ inputs: [Input], allowPartial: Bool) throws(Refusal) -> RunResult {
        let shards = try check(inputs)
        guard let first = shards.first else { throw Refusal(description: "nothing to merge") }
        let results = shards.map(\.result)
        let count = first.record.count
        let present = shards.map(\.record.index)
        let missing = Array(Set(1...count).subtracting(present)).sorted()

        let startedAt = results.map(\.startedAt).min() ?? first.result.startedAt
        let finishedAt = results.map(\.finishedAt).max() ?? first.result.finishedAt
        var steps: [StepStatistics] = []
        var session = SessionStatistics()
        var traffic = ProtocolStatistics()
        var iterations = RunResult.IterationCounts(completed: 0, abandoned: 0)
        var tails: [RunResult.StderrTail] = []
        var timeline: Timeline?
        for shard in shards {
            let result = shard.result
            for step in result.steps { steps.add(step) }
            session.merge(result.session)
            traffic.merge(result.protocolTraffic)
            iterations.completed += result.iterations.completed
            iterations.abandoned += result.iterations.abandoned
            iterations.dropped += result.iterations.dropped
            // Tails keep the whole run's client numbers, as `{{vu}}` does.
            for tail in result.servers.stderrTails where tails.count < RunResult.stderrTailLimit {
                var shifted = tail
                if shifted.virtualClient > 0 { shifted.virtualClient += shard.record.virtualClientOffset }
                tails.append(shifted)
            }
            if let shardTimeline = result.timeline {
                let offset = Int(clampingDouble: result.startedAt.timeIntervalSince(startedAt).rounded())
                var aligned = shardTimeline
                for index in aligned.seconds.indices { aligned.seconds[index].at += offset }
                if timeline == nil { timeline = aligned } else { timeline?.merge(aligned) }
            }
        }
        // Shards that started together (--start-at) are timed from that start, as each shard is.
        let scheduledStarts = shards.filter { $0.record.scheduledStart != nil }.compactMap(\.record.loadStartedAt)
        let loadStart = scheduledStarts.count == shards.count ? scheduledStarts.min() : nil
        let elapsed = max(finishedAt.timeIntervalSince(max(startedAt, loadStart ?? startedAt)), 1e-9)
        var scenario = first.result.scenario
        scenario.virtualClients = first.record.totalVirtualClients
        var merged = RunResult(
            runID: first.result.runID, scenario: scenario, status: .completed, statusReason: nil,
            startedAt: startedAt, finishedAt: finishedAt, durationSeconds: elapsed,
            totals: RunResult.Totals(steps: steps, elapsedSeconds: elapsed), session: session, steps: steps,
            protocolTraffic: traffic, iterations: iterations, servers: RunResult.ServerInfo(stderrTails: tails),
            proxy: combine(results.compactMap(\.proxy)) { $0.merge($1) })
        merged.timeline = timeline
        merged.pacing = combine(results.compactMap(\.pacing)) { $0.merge($1) }
        merged.replicas = combine(results.compactMap(\.replicas)) { $0.merge($1) }
        merged.auth = combine(results.compactMap(\.auth)) { $0.add($1) }
        merged.leaks = combine(results.compactMap(\.leaks)) { $0.merge($1) }
        // Every shard lists the same server's tools: the first audit stands for them.
        merged.audit = results.lazy.compactMap(\.audit).first
        // The server's own count is of all shards' sessions: the last reading is the run's.
        merged.serverSessions =
            results.filter { $0.serverSessions != nil }.max { $0.finishedAt < $1.finishedAt }?
            .serverSessions
        // Servers each shard started are its own: one shard's figures stand only for themselves.
        merged.serverResources = results.count == 1 ? first.result.serverResources : nil
        merged.harness = results.compactMap(\.harness).max { $0.cpuShare < $1.cpuShare }
        merged.mcploadVersion = first.result.mcploadVersion
        merged.merged = MergeRecord(
            shards: count, present: present, missing: missing, startSkewSeconds: startSkew(shards.map(\.record)),
            lateShards: shards.filter(\.record.startedLate).map(\.record.index),
            saturatedShards: shards.filter { $0.result.harness?.saturation != nil }.map(\.record.index),
            intendedVirtualClients: first.record.totalVirtualClients,
            achievedVirtualClients: shards.reduce(0) { $0 + $1.record.virtualClients },
            partialAllowed: allowPartial)
        (merged.status, merged.statusReason) = status(of: shards, missing: missing, count: count)
        merged.thresholds = evaluateAgain(results, on: merged, missing: missing, allowPartial: allowPartial)
        return merged
    }

    private struct ShardResult {
        var result: RunResult
        var record: ShardRecord
    }

    /// The inputs as shards of one run, by index; or why they are not.
    private static func check(_ inputs: [Input]) throws(Refusal) -> [ShardResult] {
        guard let first = inputs.first else { throw Refusal(description: "no results to merge") }
        var shards: [Int: (ShardResult, String)] = [:]
        for input in inputs {
            guard let record = input.result.shard else {
                throw Refusal(description: "\(input.source) is not a shard's result (run with --shard I/N)")
            }
            let (result, reference) = (input.result, first.result)
            if result.scenario.name != reference.scenario.name || result.scenario.variant != reference.scenario.variant
            {
                throw Refusal(
                    description:
                        "\(input.source) is of scenario '\(describe(result))', \(first.source) of '\(describe(reference))'"
                )
            }
            if result.mcploadVersion != reference.mcploadVersion {
                throw Refusal(
                    description: "\(input.source) was written by mcpload \(result.mcploadVersion ?? "(unknown)"), "
                        + "\(first.source) by \(reference.mcploadVersion ?? "(unknown)"): merge results of one version")
            }
            guard record.count == reference.shard?.count else {
                throw Refusal(
                    description: "\(input.source) is shard \(record.index)/\(record.count), "
                        + "\(first.source) one of \(reference.shard?.count ?? 0): not the same split")
            }
            if let earlier = shards[record.index] {
                throw Refusal(
                    description: "shard \(record.index)/\(record.count) twice: \(earlier.1) and \(input.source)")
            }
            shards[record.index] = (ShardResult(result: result, record: record), input.source)
        }
        return shards.keys.sorted().compactMap { shards[$0]?.0 }
    }

    /// Latest minus earliest real load start. Shards given one start instant are compared by
    /// how late each began after it, measured on its own clock to the microsecond; others by
    /// their wall-clock starts, to the millisecond.
    static func startSkew(_ records: [ShardRecord]) -> Double? {
        let scheduled = Set(records.compactMap(\.scheduledStart))
        let lateness = records.compactMap(\.lateBySeconds)
        if scheduled.count == 1, lateness.count == records.count, let latest = lateness.max(),
            let earliest = lateness.min()
        {
            return latest - earliest
        }
        let starts = records.compactMap(\.loadStartedAt)
        guard let latest = starts.max(), let earliest = starts.min() else { return nil }
        return latest.timeIntervalSince(earliest)
    }

    private static func describe(_ result: RunResult) -> String {
        result.scenario.name + (result.scenario.variant.map { " [\($0)]" } ?? "")
    }

    private static func status(
        of shards: [ShardResult], missing: [Int], count: Int
    ) -> (RunResult.Status, String?) {
        var reasons: [String] = []
        if !missing.isEmpty {
            reasons.append(
                "shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(count) missing"
            )
        }
        for shard in shards where shard.result.status != .completed {
            reasons.append(
                "shard \(shard.record.index) \(shard.result.status.rawValue)"
                    + (shard.result.statusReason.map { ": \($0)" } ?? ""))
        }
        guard !reasons.isEmpty else { return (.completed, nil) }
        let status: RunResult.Status =
            !missing.isEmpty ? .degraded : shards.contains { $0.result.status == .aborted } ? .aborted : .degraded
        return (status, reasons.joined(separator: "; "))
    }

    /// The shards' thresholds (as written, the same in every shard) on the merged figures, and
    /// one more: every shard present, unless a partial merge was allowed.
    private static func evaluateAgain(
        _ results: [RunResult], on merged: RunResult, missing: [Int], allowPartial: Bool
    ) -> [ThresholdOutcome] {
        var written: [String] = []
        for result in results {
            for outcome in result.thresholds where !written.contains(outcome.threshold) {
                written.append(outcome.threshold)
            }
        }
        let detectors =
            LeakDetector.allCases + (merged.leaks?.detectors.keys.filter { !LeakDetector.allCases.contains($0) } ?? [])
        let parser = ThresholdParser(stepLabels: merged.steps.map(\.label), leakDetectors: detectors)
        var outcomes: [ThresholdOutcome] = []
        for text in written {
            do {
                outcomes += ThresholdEvaluator.evaluate([try parser.parse(text)], on: merged)
            } catch {
                outcomes.append(
                    ThresholdOutcome(threshold: text, measured: nil, measuredText: "no data", passed: false))
            }
        }
        outcomes.append(
            ThresholdOutcome(
                threshold: MergeRecord.completenessThreshold, measured: Double(missing.count),
                measuredText: missing.isEmpty ? "0" : "\(missing.count) (\(allowPartial ? "allowed" : "not allowed"))",
                passed: missing.isEmpty || allowPartial))
        return outcomes
    }

    private static func combine<Value>(_ values: [Value], _ merge: (inout Value, Value) -> Void) -> Value? {
        guard var combined = values.first else { return nil }
        for value in values.dropFirst() { merge(&combined, value) }
        return combined
    }
}
