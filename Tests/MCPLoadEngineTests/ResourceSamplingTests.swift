import MCPLoadCore
import Testing

@testable import MCPLoadEngine

@Suite("Resource sampling")
struct ResourceSamplingTests {
    @Test("timeline seconds follow the clock: a late wake-up closes the second it is in, the next boundary is after it")
    func boundaries() {
        let second = Duration.seconds(1)
        #expect(ResourceSampler.next(after: .seconds(1), every: second, now: .milliseconds(1_003)) == .seconds(2))
        // Slept through three boundaries: counted once, the next one is the first still ahead.
        #expect(ResourceSampler.next(after: .seconds(1), every: second, now: .milliseconds(3_500)) == .seconds(4))
        #expect(ResourceSampler.next(after: .seconds(1), every: second, now: .seconds(2)) == .seconds(3))
    }

    @Test("/proc/PID/stat: CPU ticks and resident pages, even when the command name has spaces and parentheses")
    func procStat() throws {
        // Fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt
        // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss …
        let line =
            "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 900 0 0 0 "
            + "150 50 0 0 20 0 3 0 12345 104857600 2560 18446744073709551615 1 1 0 0 0 0 0\n"
        let stat = try #require(ProcessStat(parsing: line))
        #expect(stat.cpuTicks == 200)
        #expect(stat.residentPages == 2560)
        #expect(ProcessStat(parsing: "garbage") == nil)
        #expect(ProcessStat(parsing: "1 (x) S 1 2") == nil)
    }

    let page = ProcessStat.pageBytes

    func stat(cpuSeconds: Double, pages: UInt64) throws -> ProcessStat {
        let ticks = UInt64(cpuSeconds * ProcessStat.ticksPerSecond)
        let line = "1 (s) S 1 1 1 0 -1 0 0 0 0 0 \(ticks) 0 0 0 20 0 1 0 1 1 \(pages) 0"
        return try #require(ProcessStat(parsing: line))
    }

    @Test("the tracker keeps per-process peaks, the peak of all at once, CPU over time, largest first")
    func tracker() throws {
        var tracker = ServerResourceTracker(sampleInterval: .milliseconds(250))
        tracker.record(
            [10: try stat(cpuSeconds: 1, pages: 100), 11: try stat(cpuSeconds: 0, pages: 300)], atSeconds: 1)
        // Process 11 has exited; 10 grew, then 12 started.
        tracker.record([10: try stat(cpuSeconds: 2, pages: 500), 12: try stat(cpuSeconds: 1, pages: 50)], atSeconds: 2)
        let summary = tracker.summary
        #expect(summary.processes == 3)
        #expect(summary.peakProcessRSSBytes == 500 * page)
        #expect(summary.peakTotalRSSBytes == 550 * page)
        #expect(summary.perProcess.map(\.pid) == [10, 11, 12])
        #expect(summary.cpuSeconds == 3)
        #expect(summary.timeline.map(\.processes) == [2, 2])
        // Between the samples: 1 s more for process 10 and 1 s for 12, over 1 s of wall time.
        #expect(summary.timeline.last?.cpuCores == 2)
    }

    @Test("the figures are judged unreliable by scheduling lag or pinned CPU, and the verdict names who saturated")
    func saturation() {
        var calm = HarnessHealth()
        calm.schedulingLag.recordMicroseconds(200, count: 99)
        calm.cpuSeconds = 1
        calm.wallSeconds = 10
        calm.cores = 2
        calm.machineBusySeconds = 4
        calm.serverCPUSeconds = 2
        calm.judge()
        #expect(calm.saturation == nil && calm.headline == nil)

        var late = calm
        late.schedulingLag.recordMicroseconds(50_000, count: 10)
        late.judge()
        #expect(late.saturation == "scheduling lag p99 50.0ms > 10.0ms, with CPU to spare")
        #expect(late.saturatedBy == .harness)

        // Ten servers busy in bursts: 40% busy on average, but mcpload's timers wait for a CPU.
        var contended = late
        contended.machineBusySeconds = 8
        contended.serverCPUSeconds = 7
        contended.judge()
        #expect(
            contended.saturation
                == "scheduling lag p99 50.0ms > 10.0ms: other processes kept mcpload waiting for a CPU (the "
                + "machine's CPU was 40% busy (of 2 cores): servers under test 35%, mcpload 5%, other processes 0%)")
        #expect(contended.headline == "machine saturated")

        var busy = calm
        busy.cpuSeconds = 19
        busy.judge()
        #expect(busy.saturation == "mcpload used CPU 95% of 2 cores")
        #expect(busy.headline == "harness saturated")

        // The servers under test took the machine: mcpload is not to blame, and says so.
        var crowded = late
        crowded.machineBusySeconds = 19
        crowded.serverCPUSeconds = 15
        crowded.judge()
        #expect(
            crowded.saturation
                == "the machine's CPU was 95% busy (of 2 cores): servers under test 75%, mcpload 5%, "
                + "other processes 15%; scheduling lag p99 50.0ms > 10.0ms")
        #expect(crowded.headline == "machine saturated")
    }

    @Test("only seconds with requests are judged: a busy start-up before the first request distorts nothing")
    func loadWindowOnly() {
        var window = LoadWindow()
        window.start(at: 0, serverCPUSeconds: 0)
        // Ten servers starting: timers a quarter of a second late, no request yet.
        window.recordLag(.milliseconds(250))
        window.closeSecond(withRequests: false, at: 1, serverCPUSeconds: 3)
        window.recordLag(.microseconds(100))
        window.closeSecond(withRequests: true, at: 2, serverCPUSeconds: 3.5)
        var harness = window.harness
        harness.cores = 2
        harness.judge()
        #expect(harness.schedulingLag.count == 1)
        #expect(harness.wallSeconds == 1)
        #expect(harness.serverCPUSeconds == 0.5)
        #expect(harness.saturation == nil)
    }

    @Test("the server tracker stays bounded under churn: exited processes fold into totals, the largest are kept")
    func trackerBounded() throws {
        var tracker = ServerResourceTracker(sampleInterval: .milliseconds(250))
        for index in 0..<1000 {
            let pid = Int32(100 + index)
            tracker.record([pid: try stat(cpuSeconds: 1, pages: UInt64(index % 97))], atSeconds: Double(index))
        }
        tracker.record([:], atSeconds: 1000)
        let summary = tracker.summary
        #expect(summary.processes == 1000)
        #expect(summary.cpuSeconds == 1000)
        #expect(summary.perProcess.count == ServerResources.processLimit)
        #expect(summary.perProcess.first?.peakRSSBytes == 96 * page)
        #expect(summary.timeline.count == 1001)
    }
}

extension ProcessTests {
    @Suite("Resources end to end")
    struct ResourcesEndToEndTests {
        @Test("a run records every server process's memory and CPU, and the harness's own health")
        func serversAndHarness() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo }
                load: { vus: 3, duration: 1s }
                steps: [ping]
                """)
            let servers = try #require(result.serverResources)
            #expect(
                servers.processes == 3,
                "\(result.status) \(result.statusReason ?? "") opened \(result.session.opened) \(result.session.setupFailures.examples)"
            )
            #expect(servers.peakProcessRSSBytes > 1 << 20)
            #expect(servers.peakTotalRSSBytes >= servers.peakProcessRSSBytes)
            #expect(!servers.timeline.isEmpty)
            let harness = try #require(result.harness)
            #expect(harness.schedulingLag.count > 10)
            #expect(harness.wallSeconds >= 1 && harness.cores >= 1)
            #expect(harness.cpuSeconds > 0)
        }

        @Test("the timeline's seconds add up exactly to the run's requests and failures, class by class")
        func timelineAddsUp() async throws {
            let result = try await TestSupport.run(
                """
                target: { builtin: demo, args: [--error-rate, "0.3", --latency, 1ms] }
                load: { vus: 4, duration: 2500ms }
                steps:
                  - call_tool: { name: echo, arguments: { text: hi } }
                  - ping
                """)
            let timeline = try #require(result.timeline)
            #expect(
                timeline.seconds.count >= 3,
                "\(result.status) \(result.statusReason ?? "") opened \(result.session.opened) \(result.session.setupFailures.examples) attempts \(result.totals.attempts)"
            )
            #expect(timeline.seconds.map(\.at) == Array(0..<timeline.seconds.count))
            #expect(timeline.seconds.reduce(0) { $0 + $1.requests } == result.totals.attempts)
            var failures: [FailureClass: UInt64] = [:]
            for second in timeline.seconds { failures.merge(second.failures, uniquingKeysWith: +) }
            #expect(failures == result.totals.failures.byClass)
            #expect(failures[.jsonrpcError] ?? 0 > 0)
            // Every client's session was open at some second's end.
            #expect(timeline.seconds.map(\.openSessions).max() == 4)
            let successes = timeline.seconds.reduce(UInt64(0)) { total, second in
                total + second.latencyBuckets.reduce(0) { $0 + $1[1] }
            }
            #expect(successes == result.totals.successes)
        }
    }
}
