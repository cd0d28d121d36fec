import MCPLoadCore

/// Folds samples of the server processes into ``ServerResources``: peaks, per-process usage,
/// and the totals over time. A value: the sampler owns it, tests feed it directly.
///
/// Bounded whatever the churn: processes that were seen and are gone are folded into totals
/// (their CPU, a count) and only the ``ServerResources/processLimit`` largest are kept by name;
/// the timeline keeps at most ``timelineCapacity`` points, merging neighbours past it.
struct ServerResourceTracker {
    private var resources: ServerResources
    /// The processes of the last sample, by pid.
    private var live: [Int32: ServerResources.ProcessUsage] = [:]
    /// CPU of processes that have exited, as last seen.
    private var exitedCPUSeconds: Double = 0
    /// The largest processes by peak memory, exited or not, largest first.
    private var largest: [ServerResources.ProcessUsage] = []
    private var processesSeen = 0
    private var previousCPUSeconds: Double = 0
    private var previousAt: Double = 0
    /// Samples per timeline point (doubles each time the timeline is coarsened), and the
    /// samples of the point being filled.
    private var samplesPerPoint = 1
    private var filling: (point: ServerResources.Point, samples: Int)?
    /// The servers' memory against sessions closed, sample by sample, once sessions churn.
    private var memoryPerSession = LinearFit()
    private var sessionsClosed: UInt64 = 0

    /// Points kept in the timeline: a bit over an hour at four samples a second, then coarser.
    static let timelineCapacity = 16_384

    init(sampleInterval: Duration) {
        resources = ServerResources(sampleIntervalSeconds: sampleInterval.seconds)
    }

    /// CPU seconds of every server process seen, exited or live, as last read.
    var cumulativeCPUSeconds: Double {
        exitedCPUSeconds + live.values.reduce(0) { $0 + $1.cpuSeconds }
    }

    /// Records one sample: every live server process's stat, taken `atSeconds` into the run.
    mutating func record(_ stats: [Int32: ProcessStat], atSeconds: Double, sessionsClosed: UInt64 = 0) {
        var totalRSS: UInt64 = 0
        var current: [Int32: ServerResources.ProcessUsage] = [:]
        current.reserveCapacity(stats.count)
        for (pid, stat) in stats {
            let rss = stat.residentPages &* ProcessStat.pageBytes
            let cpu = Double(stat.cpuTicks) / ProcessStat.ticksPerSecond
            totalRSS &+= rss
            if live[pid] == nil { processesSeen += 1 }
            var entry = live[pid] ?? .init(pid: pid, peakRSSBytes: 0, cpuSeconds: 0)
            entry.peakRSSBytes = max(entry.peakRSSBytes, rss)
            entry.cpuSeconds = max(entry.cpuSeconds, cpu)
            current[pid] = entry
        }
        // Processes gone since the last sample keep their last-seen CPU in the total.
        for (pid, gone) in live where current[pid] == nil {
            exitedCPUSeconds += gone.cpuSeconds
            keepIfLargest(gone)
        }
        live = current
        let cpuSeconds = cumulativeCPUSeconds
        let elapsed = atSeconds - previousAt
        appendPoint(
            .init(
                atSeconds: atSeconds, processes: stats.count, totalRSSBytes: totalRSS,
                cpuCores: elapsed > 0 ? max(0, cpuSeconds - previousCPUSeconds) / elapsed : 0))
        previousCPUSeconds = cpuSeconds
        previousAt = atSeconds
        resources.peakTotalRSSBytes = max(resources.peakTotalRSSBytes, totalRSS)
        if sessionsClosed > 0, !stats.isEmpty {
            memoryPerSession.add(x: Double(sessionsClosed), y: Double(totalRSS))
            self.sessionsClosed = sessionsClosed
        }
    }

    var summary: ServerResources {
        var summary = resources
        var processes = largest
        for usage in live.values { Self.insert(usage, into: &processes) }
        summary.processes = processesSeen
        summary.peakProcessRSSBytes = processes.first?.peakRSSBytes ?? 0
        summary.cpuSeconds = cumulativeCPUSeconds
        summary.perProcess = processes
        // Sessions that come and go (per-request or per-iteration) are what the slope is about:
        // fewer than a hundred closed make no line worth reading.
        if sessionsClosed >= ServerResources.churnMinimum, let slope = memoryPerSession.slope {
            summary.sessionsClosed = sessionsClosed
            summary.rssBytesPerThousandSessions = slope * 1000
        }
        return summary
    }

    private mutating func keepIfLargest(_ usage: ServerResources.ProcessUsage) {
        Self.insert(usage, into: &largest)
    }

    /// Inserts `usage` in order (largest peak first, then pid), keeping at most the limit.
    private static func insert(_ usage: ServerResources.ProcessUsage, into list: inout [ServerResources.ProcessUsage]) {
        let index =
            list.firstIndex { ($0.peakRSSBytes, usage.pid) < (usage.peakRSSBytes, $0.pid) } ?? list.endIndex
        guard index < ServerResources.processLimit else { return }
        list.insert(usage, at: index)
        if list.count > ServerResources.processLimit { list.removeLast() }
    }

    /// Two points as one: the later time, the larger memory and process count, the mean CPU;
    /// so peaks survive coarsening.
    private static func combine(
        _ first: ServerResources.Point, _ second: ServerResources.Point, weights: (Double, Double) = (1, 1)
    ) -> ServerResources.Point {
        .init(
            atSeconds: second.atSeconds, processes: max(first.processes, second.processes),
            totalRSSBytes: max(first.totalRSSBytes, second.totalRSSBytes),
            cpuCores: (first.cpuCores * weights.0 + second.cpuCores * weights.1) / (weights.0 + weights.1))
    }

    /// Adds a sample to the timeline: as a point of its own, or (once the timeline has been
    /// coarsened) into the point being filled. Past the capacity, neighbouring points merge.
    private mutating func appendPoint(_ point: ServerResources.Point) {
        if samplesPerPoint > 1 {
            let merged =
                filling.map { (Self.combine($0.point, point, weights: (Double($0.samples), 1)), $0.samples + 1) }
                ?? (point, 1)
            guard merged.1 >= samplesPerPoint else {
                filling = merged
                return
            }
            filling = nil
            resources.timeline.append(merged.0)
        } else {
            resources.timeline.append(point)
        }
        guard resources.timeline.count > Self.timelineCapacity else { return }
        var merged: [ServerResources.Point] = []
        merged.reserveCapacity(resources.timeline.count / 2 + 1)
        var index = 0
        let points = resources.timeline
        while index < points.count {
            guard index + 1 < points.count else {
                merged.append(points[index])
                break
            }
            merged.append(Self.combine(points[index], points[index + 1]))
            index += 2
        }
        resources.timeline = merged
        resources.sampleIntervalSeconds *= 2
        samplesPerPoint *= 2
    }
}
