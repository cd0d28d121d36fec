/// What the server processes mcpload started cost while the run went: memory and CPU, read
/// from /proc at a fixed interval.
public struct ServerResources: Sendable, Equatable, Codable {
    public var sampleIntervalSeconds: Double
    /// Distinct server processes seen.
    public var processes: Int = 0
    /// The largest resident set any one process reached, and the largest all of them held at once.
    public var peakProcessRSSBytes: UInt64 = 0
    public var peakTotalRSSBytes: UInt64 = 0
    /// CPU time (user + system) of all of them, as last seen.
    public var cpuSeconds: Double = 0
    /// The processes with the largest peak memory, largest first (at most ``processLimit``).
    public var perProcess: [ProcessUsage] = []
    /// Each sample's totals, in order: how memory and CPU use moved over the run.
    public var timeline: [Point] = []

    public static let processLimit = 20

    public struct ProcessUsage: Sendable, Hashable, Codable {
        public var pid: Int32
        public var peakRSSBytes: UInt64
        public var cpuSeconds: Double

        public init(pid: Int32, peakRSSBytes: UInt64, cpuSeconds: Double) {
            self.pid = pid
            self.peakRSSBytes = peakRSSBytes
            self.cpuSeconds = cpuSeconds
        }
    }

    public struct Point: Sendable, Hashable, Codable {
        /// Seconds since the run started.
        public var atSeconds: Double
        public var processes: Int
        public var totalRSSBytes: UInt64
        /// CPU used by the servers since the previous sample, as a share of one core.
        public var cpuCores: Double

        public init(atSeconds: Double, processes: Int, totalRSSBytes: UInt64, cpuCores: Double) {
            self.atSeconds = atSeconds
            self.processes = processes
            self.totalRSSBytes = totalRSSBytes
            self.cpuCores = cpuCores
        }
    }

    public init(sampleIntervalSeconds: Double) {
        self.sampleIntervalSeconds = sampleIntervalSeconds
    }
}
