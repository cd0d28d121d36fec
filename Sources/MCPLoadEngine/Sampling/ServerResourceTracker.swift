import MCPLoadCore

/// Folds samples of the server processes into ``ServerResources``: peaks, per-process usage,
/// and the totals over time. A value: the sampler owns it, tests feed it directly.
struct ServerResourceTracker {
    private var resources: ServerResources
    private var usage: [Int32: ServerResources.ProcessUsage] = [:]
    private var previousCPUSeconds: Double = 0
    private var previousAt: Double = 0

    init(sampleInterval: Duration) {
        resources = ServerResources(sampleIntervalSeconds: sampleInterval.seconds)
    }

    /// Records one sample: every live server process's stat, taken `atSeconds` into the run.
    mutating func record(_ stats: [Int32: ProcessStat], atSeconds: Double) {
        var totalRSS: UInt64 = 0
        for (pid, stat) in stats {
            let rss = stat.residentPages * ProcessStat.pageBytes
            let cpu = Double(stat.cpuTicks) / ProcessStat.ticksPerSecond
            totalRSS += rss
            var entry = usage[pid] ?? .init(pid: pid, peakRSSBytes: 0, cpuSeconds: 0)
            entry.peakRSSBytes = max(entry.peakRSSBytes, rss)
            entry.cpuSeconds = max(entry.cpuSeconds, cpu)
            usage[pid] = entry
        }
        // CPU of processes that have exited stays in their last-seen figure.
        let cpuSeconds = usage.values.reduce(0) { $0 + $1.cpuSeconds }
        let elapsed = atSeconds - previousAt
        resources.timeline.append(
            .init(
                atSeconds: atSeconds, processes: stats.count, totalRSSBytes: totalRSS,
                cpuCores: elapsed > 0 ? max(0, cpuSeconds - previousCPUSeconds) / elapsed : 0))
        previousCPUSeconds = cpuSeconds
        previousAt = atSeconds
        resources.peakTotalRSSBytes = max(resources.peakTotalRSSBytes, totalRSS)
    }

    var summary: ServerResources {
        var summary = resources
        let processes = usage.values.sorted { ($0.peakRSSBytes, $1.pid) > ($1.peakRSSBytes, $0.pid) }
        summary.processes = processes.count
        summary.peakProcessRSSBytes = processes.first?.peakRSSBytes ?? 0
        summary.cpuSeconds = processes.reduce(0) { $0 + $1.cpuSeconds }
        summary.perProcess = Array(processes.prefix(ServerResources.processLimit))
        return summary
    }
}
