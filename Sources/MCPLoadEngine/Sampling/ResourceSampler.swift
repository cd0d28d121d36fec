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

    struct Report: Sendable {
        var harness: HarnessHealth
        var servers: ServerResources
    }

    /// Runs `body` with the sampler as a sibling child task, stopped when the body returns.
    static func measuring<Value: Sendable>(_ body: @Sendable () async -> Value) async -> (Value, Report) {
        let clock = ContinuousClock()
        let started = clock.now
        let cpuBefore = processCPUSeconds()
        return await withTaskGroup(of: SamplerState?.self) { group in
            group.addTask { await sample(from: started, clock: clock) }
            let value = await body()
            group.cancelAll()
            var state = SamplerState(sampleInterval: tick * ticksPerServerSample)
            for await finished in group { if let finished { state = finished } }
            var harness = state.harness
            harness.cpuSeconds = processCPUSeconds() - cpuBefore
            harness.wallSeconds = (clock.now - started).seconds
            harness.cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            harness.judge()
            return (value, Report(harness: harness, servers: state.servers.summary))
        }
    }

    private struct SamplerState: Sendable {
        var harness = HarnessHealth()
        var servers: ServerResourceTracker

        init(sampleInterval: Duration) {
            servers = ServerResourceTracker(sampleInterval: sampleInterval)
        }
    }

    private static func sample(from started: ContinuousClock.Instant, clock: ContinuousClock) async -> SamplerState {
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
