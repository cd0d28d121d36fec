/// What the server processes mcpload started cost while the run went: memory and CPU, read
/// from /proc at a fixed interval.
package struct ServerResources: Sendable, Equatable, Codable {
    package var sampleIntervalSeconds: Double
    /// Distinct server processes seen.
    package var processes: Int = 0
    /// The largest resident set any one process reached, and the largest all of them held at once.
    package var peakProcessRSSBytes: UInt64 = 0
    package var peakTotalRSSBytes: UInt64 = 0
    /// CPU time (user + system) of all of them, as last seen.
    package var cpuSeconds: Double = 0
    /// The processes with the largest peak memory, largest first (at most ``processLimit``).
    package var perProcess: [ProcessUsage] = []
    /// Each sample's totals, in order: how memory and CPU use moved over the run.
    package var timeline: [Point] = []
    /// Sessions closed over the run, when they churned (at least ``churnMinimum``).
    package var sessionsClosed: UInt64?
    /// How the servers' total memory grew per 1,000 sessions closed: the slope of a line fitted
    /// through every sample. A server that frees its sessions stays near zero; one that keeps
    /// them grows by what each costs it.
    package var rssBytesPerThousandSessions: Double?

    package static let processLimit = 20
    package static let churnMinimum: UInt64 = 100

    package struct ProcessUsage: Sendable, Hashable, Codable {
        package var pid: Int32
        package var peakRSSBytes: UInt64
        package var cpuSeconds: Double

        package init(pid: Int32, peakRSSBytes: UInt64, cpuSeconds: Double) {
            self.pid = pid
            self.peakRSSBytes = peakRSSBytes
            self.cpuSeconds = cpuSeconds
        }
    }

    package struct Point: Sendable, Hashable, Codable {
        /// Seconds since the run started.
        package var atSeconds: Double
        package var processes: Int
        package var totalRSSBytes: UInt64
        /// CPU used by the servers since the previous sample, as a share of one core.
        package var cpuCores: Double

        package init(atSeconds: Double, processes: Int, totalRSSBytes: UInt64, cpuCores: Double) {
            self.atSeconds = atSeconds
            self.processes = processes
            self.totalRSSBytes = totalRSSBytes
            self.cpuCores = cpuCores
        }
    }

    package init(sampleIntervalSeconds: Double) {
        self.sampleIntervalSeconds = sampleIntervalSeconds
    }
}
