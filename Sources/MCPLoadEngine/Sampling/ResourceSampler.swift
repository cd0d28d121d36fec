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
/// (scheduling lag), every few ticks the server processes' memory and CPU are read, and every
/// second the live counters become a second of the timeline.
enum ResourceSampler {
    static let tick = Duration.milliseconds(10)
    /// Server processes are sampled every this many ticks: /proc reads cost more than a wake-up.
    static let ticksPerServerSample = 25

    struct Report: Sendable {
        var harness: HarnessHealth
        var servers: ServerResources
        var timeline: Timeline
    }

    /// Runs `body` with the sampler as a sibling child task, stopped when the body returns.
    /// With `warmUpClients`, the load window opens only once that many clients have settled
    /// their first session: starting servers is set-up, not load.
    static func measuring<Value: Sendable>(
        _ live: LiveCounters, clock: any EngineClock, servers: ChildProcesses, warmUpClients: Int? = nil,
        _ body: @Sendable () async -> Value
    ) async -> (Value, Report) {
        let started = clock.now
        return await withTaskGroup(of: SamplerState?.self) { group in
            group.addTask {
                await sample(live, from: started, clock: clock, servers: servers, warmUpClients: warmUpClients)
            }
            let value = await body()
            group.cancelAll()
            var state = SamplerState(sampleInterval: tick * ticksPerServerSample, warmUpClients: warmUpClients)
            for await finished in group { if let finished { state = finished } }
            // The last, partial second: what happened after the last full one.
            state.closeSecond(live.counts(), at: (clock.now - started).seconds)
            state.window.harness.cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            state.window.harness.judge()
            return (
                value,
                Report(harness: state.window.harness, servers: state.servers.summary, timeline: state.timeline)
            )
        }
    }

    private struct SamplerState: Sendable {
        var window = LoadWindow()
        var servers: ServerResourceTracker
        var timeline = Timeline()
        var previous = LiveCounters.Counts()
        /// The timeline's next second, counted here: its buckets may span several.
        var nextSecond = 0
        let warmUpClients: Int?

        init(sampleInterval: Duration, warmUpClients: Int?) {
            servers = ServerResourceTracker(sampleInterval: sampleInterval)
            self.warmUpClients = warmUpClients
        }

        /// Appends the second that ends `atSeconds` into the run: the counters' change since
        /// the previous one. A second with nothing in it (the run's last instant) is left out.
        mutating func closeSecond(_ counts: LiveCounters.Counts, at seconds: Double) {
            var failures: [FailureClass: UInt64] = [:]
            for (index, failureClass) in FailureClass.allCases.enumerated() {
                let count = counts.failuresByClass[index] &- previous.failuresByClass[index]
                if count > 0 { failures[failureClass] = count }
            }
            var latency: [[UInt64]] = []
            for index in counts.latencyBuckets.indices {
                let count = counts.latencyBuckets[index] &- previous.latencyBuckets[index]
                if count > 0 { latency.append([UInt64(index), count]) }
            }
            let requests = counts.requests &- previous.requests
            if requests > 0 || nextSecond < Int(clampingDouble: seconds.rounded(.down)) {
                timeline.append(
                    .init(
                        at: nextSecond, requests: requests, failures: failures, latencyBuckets: latency,
                        openSessions: counts.openSessions))
                nextSecond += 1
            }
            previous = counts
            let warm = warmUpClients.map { counts.clientsSettled >= $0 } ?? true
            window.closeSecond(
                withRequests: requests > 0 && warm, at: seconds, serverCPUSeconds: servers.cumulativeCPUSeconds)
        }
    }

    private static func sample(
        _ live: LiveCounters, from started: Duration, clock: any EngineClock, servers: ChildProcesses,
        warmUpClients: Int?
    ) async -> SamplerState {
        var state = SamplerState(sampleInterval: tick * ticksPerServerSample, warmUpClients: warmUpClients)
        state.window.start(at: 0, serverCPUSeconds: 0)
        var deadline = started + tick
        // Seconds and server samples follow the clock, not a count of ticks: on a busy machine
        // ticks wake late, and a hundred of them would make a timeline "second" last longer.
        var nextServerSample = started + tick * ticksPerServerSample
        var nextSecond = started + .seconds(1)
        while true {
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return state
            }
            let now = clock.now
            state.window.recordLag(now - deadline)
            if now >= nextServerSample {
                var stats: [Int32: ProcessStat] = [:]
                for pid in servers.sampled {
                    if let stat = ProcessStat.read(pid: pid) { stats[pid] = stat }
                }
                state.servers.record(stats, atSeconds: (now - started).seconds, sessionsClosed: live.closedSessions)
                nextServerSample = Self.next(after: nextServerSample, every: tick * ticksPerServerSample, now: now)
            }
            if now >= nextSecond {
                state.closeSecond(live.counts(), at: (now - started).seconds)
                nextSecond = Self.next(after: nextSecond, every: .seconds(1), now: now)
            }
            // A late wake-up is measured once; the ticks it covered are not replayed in a burst.
            deadline = max(deadline + tick, now)
        }
    }
}

extension ResourceSampler {
    /// The first boundary after `now` on the grid that `boundary` is on: a wake-up that slept
    /// through several boundaries counts once, at the next one.
    static func next(after boundary: Duration, every interval: Duration, now: Duration) -> Duration {
        var next = boundary + interval
        if next <= now {
            let behind = Int64(clampingDouble: ((now - next) / interval).rounded(.down)) + 1
            next += interval * behind
        }
        return next
    }
}

/// The seconds in which requests were made, and what mcpload, the servers and the machine used
/// of the CPU meanwhile: what the harness is judged on. Seconds spent starting servers before
/// the first request, or stopping them after the last, are left out.
struct LoadWindow: Sendable {
    var harness = HarnessHealth()
    /// Lag of the second under way, judged once the second is known to have had requests.
    private var secondLag = LatencyHistogram()
    /// Where the second under way started: run time, mcpload's CPU, the machine's, the servers'.
    private var secondStart = (at: 0.0, cpu: 0.0, machine: nil as Double?, servers: 0.0)

    mutating func start(at seconds: Double, serverCPUSeconds: Double) {
        secondStart = (seconds, Self.processCPUSeconds(), MachineCPU.busySeconds(), serverCPUSeconds)
    }

    mutating func recordLag(_ lag: Duration) {
        secondLag.record(lag)
    }

    mutating func closeSecond(withRequests: Bool, at seconds: Double, serverCPUSeconds: Double) {
        let cpu = Self.processCPUSeconds()
        let machine = MachineCPU.busySeconds()
        if withRequests {
            harness.schedulingLag.merge(secondLag)
            harness.wallSeconds += max(0, seconds - secondStart.at)
            harness.cpuSeconds += max(0, cpu - secondStart.cpu)
            harness.serverCPUSeconds = (harness.serverCPUSeconds ?? 0) + max(0, serverCPUSeconds - secondStart.servers)
            if let machine, let before = secondStart.machine {
                harness.machineBusySeconds = (harness.machineBusySeconds ?? 0) + max(0, machine - before)
            }
        }
        secondLag = LatencyHistogram()
        secondStart = (seconds, cpu, machine, serverCPUSeconds)
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
