/// mcpload's own health during a run: whether its figures can be trusted, and if not, why.
///
/// A load generator that cannot keep up (its timers wake late, its CPU is pinned) delays
/// requests itself and reports that delay as the server's latency. The verdict says so, so a
/// saturated harness is never mistaken for a failing server. It is judged over the load window
/// only (the seconds in which requests were made): ten servers starting at once may keep the
/// machine busy before the first request, which distorts nothing. And it says who saturated:
/// mcpload itself, or the machine (the servers under test, or other processes).
package struct HarnessHealth: Sendable, Equatable, Codable {
    /// How late a fixed-period ticker woke during the load window, in microseconds: the delay
    /// any timer or task of the run may have suffered.
    package var schedulingLag = LatencyHistogram()
    /// mcpload's own CPU time (user + system) during the load window, and the window's length.
    package var cpuSeconds: Double = 0
    package var wallSeconds: Double = 0
    package var cores: Int = 1
    /// CPU time the whole machine was busy during the load window (all processes), and of that,
    /// the servers mcpload started; nil where the system does not say (not Linux).
    package var machineBusySeconds: Double?
    package var serverCPUSeconds: Double?
    /// Why the figures are unreliable, naming who saturated; nil when they are not.
    package var saturation: String?
    /// Who saturated: mcpload itself, or the machine it ran on.
    package var saturatedBy: Party?

    package enum Party: String, Sendable, Equatable, Codable {
        case harness
        case machine
    }

    package init() {}

    /// "machine saturated" or "harness saturated", for headlines; nil when the figures hold.
    package var headline: String? {
        guard saturation != nil else { return nil }
        return "\(saturatedBy == .machine ? "machine" : "harness") saturated"
    }

    /// Lag at the 99th percentile beyond this means timers ran late enough to distort latencies.
    package static let lagLimitMicroseconds: UInt64 = 10_000
    /// CPU use beyond this share of all cores means nothing was left to give.
    package static let cpuLimit = 0.9
    /// Late timers with other processes using at least this share of the cores were delayed by
    /// them (waiting for a CPU), not by mcpload.
    package static let contentionLimit = 0.25

    /// mcpload's CPU use as a share of all cores (0...1).
    package var cpuShare: Double { share(cpuSeconds) }

    /// The machine's CPU use as a share of all cores (0...1), when known.
    package var machineShare: Double? { machineBusySeconds.map(share) }

    private func share(_ seconds: Double) -> Double {
        wallSeconds > 0 && cores > 0 ? seconds / (wallSeconds * Double(cores)) : 0
    }

    private func percent(_ seconds: Double) -> String {
        "\(Int(clampingDouble: (share(seconds) * 100).rounded()))%"
    }

    /// Sets ``saturation`` and ``saturatedBy`` from the measurements.
    package mutating func judge() {
        saturation = nil
        saturatedBy = nil
        let lag = schedulingLag.microseconds(atPercentile: 99)
        let late = schedulingLag.count > 0 && lag > Self.lagLimitMicroseconds
        let lagText =
            "scheduling lag p99 \(DurationText.formatMicroseconds(Double(lag))) > "
            + DurationText.formatMicroseconds(Double(Self.lagLimitMicroseconds))
        let machine = machineBusySeconds
        if cpuShare >= Self.cpuLimit {
            saturatedBy = .harness
            saturation = "mcpload used CPU \(percent(cpuSeconds)) of \(cores) cores" + (late ? ", \(lagText)" : "")
        } else if let machine, share(machine) >= Self.cpuLimit {
            saturatedBy = .machine
            saturation = "the machine's CPU was \(machineUse(machine))" + (late ? "; \(lagText)" : "")
        } else if late, let machine, share(machine - cpuSeconds) >= Self.contentionLimit {
            // Busy in bursts though not on average: mcpload's timers waited for a CPU.
            saturatedBy = .machine
            saturation =
                "\(lagText): other processes kept mcpload waiting for a CPU (the machine's CPU was "
                + "\(machineUse(machine)))"
        } else if late {
            saturatedBy = .harness
            saturation = lagText + ", with CPU to spare"
        }
    }

    /// `71% busy (of 2 cores): servers under test 60%, mcpload 9%, other processes 2%`.
    private func machineUse(_ machine: Double) -> String {
        let servers = serverCPUSeconds ?? 0
        let others = max(0, machine - servers - cpuSeconds)
        return "\(percent(machine)) busy (of \(cores) cores): servers under test \(percent(servers)), "
            + "mcpload \(percent(cpuSeconds)), other processes \(percent(others))"
    }
}
