/// mcpload's own health during a run: whether its figures can be trusted.
///
/// A load generator that cannot keep up (its event loop wakes late, its CPU is pinned) delays
/// requests itself and reports that delay as the server's latency. The verdict says so, so a
/// saturated harness is never mistaken for a failing server.
public struct HarnessHealth: Sendable, Equatable, Codable {
    /// How late a fixed-period ticker woke, in microseconds: the delay any timer or task of
    /// the run may have suffered.
    public var schedulingLag = LatencyHistogram()
    /// mcpload's own CPU time (user + system) over the run, and the wall time it spanned.
    public var cpuSeconds: Double = 0
    public var wallSeconds: Double = 0
    public var cores: Int = 1
    /// Why the harness was saturated; nil when it was not.
    public var saturation: String?

    public init() {}

    /// Lag at the 99th percentile beyond this means timers ran late enough to distort latencies.
    public static let lagLimitMicroseconds: UInt64 = 10_000
    /// CPU use beyond this share of all cores means the harness had nothing left to give.
    public static let cpuLimit = 0.9

    /// mcpload's CPU use as a share of all cores (0...1).
    public var cpuShare: Double {
        wallSeconds > 0 && cores > 0 ? cpuSeconds / (wallSeconds * Double(cores)) : 0
    }

    /// Sets ``saturation`` from the measurements.
    public mutating func judge() {
        var reasons: [String] = []
        let lag = schedulingLag.microseconds(atPercentile: 99)
        if schedulingLag.count > 0, lag > Self.lagLimitMicroseconds {
            reasons.append(
                "scheduling lag p99 \(DurationText.formatMicroseconds(Double(lag))) > "
                    + DurationText.formatMicroseconds(Double(Self.lagLimitMicroseconds)))
        }
        if cpuShare >= Self.cpuLimit {
            reasons.append("CPU \(Int((cpuShare * 100).rounded()))% of \(cores) cores")
        }
        saturation = reasons.isEmpty ? nil : reasons.joined(separator: ", ")
    }
}
