import MCPLoadCore
import MCPLoadTransport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches a run from beside it: a ticker measures how late mcpload's own timers wake
/// (scheduling lag), and every few ticks the server processes' memory and CPU are read.
enum ResourceSampler {
    static let tick = Duration.milliseconds(10)
    /// Server processes are sampled every this many ticks: /proc reads cost more than a wake-up.
    static let ticksPerServerSample = 25

    /// The timeline takes one second's deltas of the live counters every this many ticks.
    static let ticksPerSecond = 100

    struct Report: Sendable {
        var harness: HarnessHealth
        var servers: ServerResources
        var timeline: Timeline
    }

    /// Runs `body` with the sampler as a sibling child task, stopped when the body returns.
    static func measuring<Value: Sendable>(
        _ live: LiveCounters, _ body: @Sendable () async -> Value
    ) async -> (Value, Report) {
        let clock = ContinuousClock()
        let started = clock.now
        let cpuBefore = processCPUSeconds()
        return await withTaskGroup(of: SamplerState?.self) { group in
            group.addTask { await sample(live, from: started, clock: clock) }
            let value = await body()
            group.cancelAll()
            var state = SamplerState(sampleInterval: tick * ticksPerServerSample)
            for await finished in group { if let finished { state = finished } }
            var harness = state.harness
            harness.cpuSeconds = processCPUSeconds() - cpuBefore
            harness.wallSeconds = (clock.now - started).seconds
            harness.cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            harness.judge()
            // The last, partial second: what happened after the last full one.
            state.closeSecond(live.counts(), at: (clock.now - started).seconds)
            return (value, Report(harness: harness, servers: state.servers.summary, timeline: state.timeline))
        }
    }

    private struct SamplerState: Sendable {
        var harness = HarnessHealth()
        var servers: ServerResourceTracker
        var timeline = Timeline()
        var previous = LiveCounters.Counts()

        init(sampleInterval: Duration) {
            servers = ServerResourceTracker(sampleInterval: sampleInterval)
        }

        /// Appends the second that ends `atSeconds` into the run: the counters' change since
        /// the previous one. A second with nothing in it (the run's last instant) is left out.
        mutating func closeSecond(_ counts: LiveCounters.Counts, at seconds: Double) {
            var failures: [FailureClass: UInt64] = [:]
            for (index, failureClass) in FailureClass.allCases.enumerated() {
                let count = counts.failuresByClass[index] - previous.failuresByClass[index]
                if count > 0 { failures[failureClass] = count }
            }
            var latency: [[UInt64]] = []
            for index in counts.latencyBuckets.indices {
                let count = counts.latencyBuckets[index] - previous.latencyBuckets[index]
                if count > 0 { latency.append([UInt64(index), count]) }
            }
            let requests = counts.requests - previous.requests
            let at = timeline.seconds.last.map { $0.at + 1 } ?? 0
            if requests > 0 || at < Int(seconds.rounded(.down)) {
                timeline.seconds.append(
                    .init(
                        at: at, requests: requests, failures: failures, latencyBuckets: latency,
                        openSessions: counts.openSessions))
            }
            previous = counts
        }
    }

    private static func sample(
        _ live: LiveCounters, from started: ContinuousClock.Instant, clock: ContinuousClock
    ) async -> SamplerState {
        var state = SamplerState(sampleInterval: tick * ticksPerServerSample)
        var deadline = started + tick
        var ticks = 0
        while true {
            do {
                try await Task.sleep(until: deadline, clock: clock)
            } catch {
                return state
            }
            let now = clock.now
            state.harness.schedulingLag.record(now - deadline)
            ticks += 1
            if ticks % ticksPerServerSample == 0 {
                var stats: [Int32: ProcessStat] = [:]
                for pid in ChildProcessRegistry.processIdentifiers {
                    if let stat = ProcessStat.read(pid: pid) { stats[pid] = stat }
                }
                state.servers.record(stats, atSeconds: (now - started).seconds)
            }
            if ticks % ticksPerSecond == 0 { state.closeSecond(live.counts(), at: (now - started).seconds) }
            // A late wake-up is measured once; the ticks it covered are not replayed in a burst.
            deadline = max(deadline + tick, now)
        }
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
