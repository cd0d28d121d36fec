/// The open model's schedule: when each iteration is due, from a starting arrival rate and
/// stages that ramp it linearly. All of the model's arithmetic lives here, so it is tested
/// exactly, without a clock.
///
/// Arrival `n` (from 0) is due when the integral of the rate reaches `n`: the first at 0; at a
/// constant rate `r`, arrival `n` at `n / r`; on a ramp from `r0` to `r1` over `T`, where
/// `r0·t + (r1 − r0)·t² / 2T` reaches the arrivals left.
package struct Pacer: Sendable, Hashable {
    /// A stretch of the schedule over which the rate changes linearly.
    package struct Segment: Sendable, Hashable {
        package var from: Double
        package var to: Double
        package var length: Duration

        package init(from: Double, to: Double, length: Duration) {
            self.from = from
            self.to = to
            self.length = length
        }

        /// Arrivals over the whole segment.
        var arrivals: Double { (from + to) / 2 * length.seconds }
    }

    package let segments: [Segment]
    /// Which of the schedule's arrivals are this process's: all of them, or every N-th for a shard.
    package var stride = ArrivalStride.all

    /// `rate` per second, then each stage ramping to its rate over its time; without stages,
    /// `rate` held for `duration`.
    package init(rate: Double, stages: [RateStage], duration: Duration?) {
        var segments: [Segment] = []
        var current = rate
        for stage in stages {
            segments.append(Segment(from: current, to: stage.to, length: stage.over))
            current = stage.to
        }
        if stages.isEmpty, let duration { segments.append(Segment(from: rate, to: rate, length: duration)) }
        self.segments = segments
    }

    /// `200/s for 30s`, `50/s → 200/s over 10s → 200/s over 20s`: for headlines.
    package var summary: String {
        func rate(_ value: Double) -> String {
            "\(value == value.rounded() ? String(Int64(clampingDouble: value)) : DurationText.rounded(value, places: 1))/s"
        }
        guard let first = segments.first else { return "no arrivals" }
        if segments.count == 1 && first.from == first.to {
            return "\(rate(first.from)) for \(DurationText.format(first.length))"
        }
        return ([rate(first.from)] + segments.map { "\(rate($0.to)) over \(DurationText.format($0.length))" })
            .joined(separator: " → ")
    }

    /// How long the schedule runs.
    package var duration: Duration { segments.reduce(.zero) { $0 + $1.length } }

    /// Arrivals the schedule asks of this process: the whole schedule's, or a shard's share.
    package var expectedArrivals: Double {
        let whole = segments.reduce(0) { $0 + $1.arrivals }
        guard stride.count > 1 else { return whole }
        // Arrivals first, first + count, …: those below the whole schedule's.
        return max(0, ((whole - Double(stride.first)) / Double(stride.count)).rounded(.up))
    }

    /// When this process's arrival `n` is due, from the start of the run; nil once the
    /// schedule is over. A shard's arrival `n` is the whole schedule's `first + n·count`.
    package func offset(ofArrival n: Int) -> Duration? {
        let (scaled, overflow) = n.multipliedReportingOverflow(by: stride.count)
        guard !overflow, case (let global, false) = scaled.addingReportingOverflow(stride.first) else { return nil }
        return offset(ofScheduleArrival: global)
    }

    /// When the whole schedule's arrival `n` is due.
    private func offset(ofScheduleArrival n: Int) -> Duration? {
        var remaining = Double(n)
        var start = Duration.zero
        for segment in segments {
            let arrivals = segment.arrivals
            if remaining < arrivals {
                guard let within = Self.time(toReach: remaining, in: segment) else { return nil }
                return start + within
            }
            remaining -= arrivals
            start += segment.length
        }
        return nil
    }

    /// Solves `from·t + (to − from)·t² / 2T = count` for `t` within the segment.
    static func time(toReach count: Double, in segment: Segment) -> Duration? {
        let length = segment.length.seconds
        guard length > 0 else { return nil }
        let a = (segment.to - segment.from) / (2 * length)
        let b = segment.from
        let seconds: Double
        if abs(a) < 1e-12 {
            guard b > 0 else { return nil }
            seconds = count / b
        } else {
            let discriminant = b * b + 4 * a * count
            guard discriminant >= 0 else { return nil }
            seconds = (-b + discriminant.squareRoot()) / (2 * a)
        }
        guard seconds.isFinite, seconds >= 0, seconds <= length else { return nil }
        return .clampedSeconds(seconds)
    }
}

/// A shard's arrivals among the schedule's: `first`, `first + count`, `first + 2·count`, …
/// Interleaved, the shards' arrivals are exactly the schedule's, ramps included: no shard
/// approximates its share of a rate.
package struct ArrivalStride: Sendable, Hashable {
    package var first: Int
    package var count: Int

    package static let all = ArrivalStride(first: 0, count: 1)

    package init(first: Int, count: Int) {
        self.first = first
        self.count = max(1, count)
    }

    package init(shard: Shard) {
        self.init(first: shard.index - 1, count: shard.count)
    }
}

/// One step of a ramping arrival rate: reach `to` per second over `over`.
package struct RateStage: Sendable, Hashable {
    package var to: Double
    package var over: Duration

    package init(to: Double, over: Duration) {
        self.to = to
        self.over = over
    }
}
