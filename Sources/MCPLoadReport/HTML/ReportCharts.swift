import Foundation
import MCPLoadCore

/// The report's charts, built from a result: what to plot and on which scale. Drawing is
/// ``SVGChart``'s concern.
enum ReportCharts {
    /// Colours that stay apart for the usual colour-vision deficiencies (Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// One colour per failure class, the same in every chart of a report.
    static func color(of failureClass: FailureClass) -> String {
        color((FailureClass.allCases.firstIndex(of: failureClass) ?? 0) + 1)
    }

    /// Latency against percentile, on a "nines" axis (0%, 90%, 99%, 99.9%, …) as HdrHistogram
    /// plots it: the tail, where a server under concurrency breaks, gets as much room as the median.
    /// Each series is solid; its latency from the send (open model, uncorrected) is dashed beside it.
    static func percentileSpectrum(
        title: String, series: [(name: String, latency: LatencyHistogram, uncorrected: LatencyHistogram?)]
    ) -> SVGChart? {
        let populated = series.filter { $0.latency.count > 0 }
        guard !populated.isEmpty else { return nil }
        // Beyond log10(count) nines the histogram only repeats its maximum.
        let largest = populated.map(\.latency.count).max() ?? 1
        let nines = min(5, max(2, (log10(Double(largest))).rounded(.up)))
        let stops = stride(from: 0.0, through: nines, by: 0.05).map { $0 }
        let percentiles = stops.map { min((1 - pow(10, -$0)) * 100, 100) }
        func points(_ histogram: LatencyHistogram) -> [(x: Double, y: Double?)] {
            zip(stops, histogram.microseconds(atPercentiles: percentiles)).map { ($0, Double($1)) }
        }
        var chart = SVGChart(
            title: title,
            xTicks: (0...Int(nines)).map { SVGChart.Tick(value: Double($0), text: ninesLabel($0)) },
            xRange: 0...nines, yLabel: { DurationText.formatMicroseconds($0) })
        for (index, entry) in populated.enumerated() {
            chart.lines.append(.init(name: entry.name, color: color(index), points: points(entry.latency)))
            if let uncorrected = entry.uncorrected, uncorrected.count > 0 {
                chart.lines.append(
                    .init(
                        name: "\(entry.name), from the send", color: color(index), dashed: true,
                        points: points(uncorrected)))
            }
        }
        return chart
    }

    /// `0%`, `90%`, `99%`, `99.9%` for 0, 1, 2, 3 nines.
    static func ninesLabel(_ nines: Int) -> String {
        switch nines {
        case ...0: "0%"
        case 1: "90%"
        case 2: "99%"
        default: "99." + String(repeating: "9", count: nines - 2) + "%"
        }
    }

    /// The seconds worth plotting: the last one, when the run ended early in it, holds a sliver
    /// of a second's requests and would read as a collapse at the end of every run.
    static func wholeSeconds(_ timeline: Timeline, runSeconds: Double) -> Timeline {
        var trimmed = timeline
        while let last = trimmed.seconds.last, runSeconds - Double(last.at) < 0.5, trimmed.seconds.count > 1 {
            trimmed.seconds.removeLast()
        }
        return trimmed
    }

    /// Successful requests per second as a line, failures stacked by class as bars.
    static func throughput(_ timeline: Timeline) -> SVGChart? {
        guard timeline.seconds.count > 1 else { return nil }
        let classes = FailureClass.allCases.filter { failureClass in
            timeline.seconds.contains { ($0.failures[failureClass] ?? 0) > 0 }
        }
        var chart = timeChart("Requests per second: answered, and failed by class", timeline) { String(Int($0)) }
        chart.lines = [
            .init(
                name: "ok", color: color(0),
                points: timeline.seconds.map {
                    (Double($0.at), Double($0.requests - min($0.failureCount, $0.requests)) / Double($0.span))
                })
        ]
        chart.barPositions = timeline.seconds.map { Double($0.at) }
        chart.barLayers = classes.map { failureClass in
            .init(
                name: failureClass.rawValue, color: color(of: failureClass),
                values: timeline.seconds.map { Double($0.failures[failureClass] ?? 0) / Double($0.span) })
        }
        return chart
    }

    /// p50 and p99 of each second's successes; a second without successes is a gap.
    static func latencyOverTime(_ timeline: Timeline) -> SVGChart? {
        guard timeline.seconds.count > 1 else { return nil }
        var chart = timeChart("Latency per second (successes)", timeline) { DurationText.formatMicroseconds($0) }
        chart.lines = [(50.0, "p50"), (99.0, "p99")].enumerated().map { index, entry in
            .init(
                name: entry.1, color: color(index == 0 ? 0 : 5),
                points: timeline.seconds.map { (Double($0.at), $0.latencyMicroseconds(atPercentile: entry.0)) })
        }
        return chart
    }

    static func openSessions(_ timeline: Timeline) -> SVGChart? {
        guard timeline.seconds.count > 1 else { return nil }
        var chart = timeChart("Open sessions", timeline) { String(Int($0)) }
        chart.height = 160
        chart.lines = [
            .init(
                name: "sessions", color: color(2),
                points: timeline.seconds.map { (Double($0.at), Double($0.openSessions)) })
        ]
        return chart
    }

    /// Servers' memory over the run, all processes together, in MiB (round ticks in bytes would
    /// land on odd binary sizes).
    static func serverMemory(_ resources: ServerResources) -> SVGChart? {
        guard resources.timeline.count > 1, let last = resources.timeline.last?.atSeconds else { return nil }
        var chart = SVGChart(
            title: "Server RSS, all processes", xTicks: secondTicks(upTo: last), xRange: 0...max(last, 1),
            yLabel: { "\(DurationText.rounded($0, places: $0 < 10 ? 1 : 0))MiB" })
        chart.height = 160
        chart.lines = [
            .init(
                name: "RSS", color: color(3),
                points: resources.timeline.map { ($0.atSeconds, Double($0.totalRSSBytes) / 1_048_576) })
        ]
        return chart
    }

    private static func timeChart(
        _ title: String, _ timeline: Timeline, yLabel: @escaping (Double) -> String
    )
        -> SVGChart
    {
        let last = Double(timeline.seconds.last?.at ?? 1)
        return SVGChart(title: title, xTicks: secondTicks(upTo: last), xRange: -0.5...(last + 0.5), yLabel: yLabel)
    }

    /// Round ticks on whole seconds only: a two-second run gets 0s, 1s, 2s, not 0s, 0.5s, ….
    static func secondTicks(upTo last: Double) -> [SVGChart.Tick] {
        SVGChart.roundTicks(upTo: max(last, 1)).filter { $0 == $0.rounded() }.map {
            SVGChart.Tick(value: $0, text: "\(Int($0))s")
        }
    }
}
