import MCPLoadCore

/// A small chart drawn as inline SVG, so a report needs no script and no network: a y axis from
/// zero with round ticks, the x ticks its caller chooses, lines (with gaps) and stacked bars.
struct SVGChart {
    struct Tick {
        var value: Double
        var text: String
    }

    /// A polyline; a nil `y` breaks it (a second without successes has no latency).
    struct Line {
        var name: String
        var color: String
        var dashed = false
        var points: [(x: Double, y: Double?)]
    }

    /// One layer of bars stacked at the chart's bar positions.
    struct BarLayer {
        var name: String
        var color: String
        var values: [Double]
    }

    var title: String
    var xTicks: [Tick]
    var xRange: ClosedRange<Double>
    var yLabel: (Double) -> String
    var lines: [Line] = []
    var barPositions: [Double] = []
    var barLayers: [BarLayer] = []
    var width = 640.0
    var height = 220.0

    private let left = 64.0, right = 28.0, top = 28.0, bottom = 40.0

    func render() -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let yTicks = Self.roundTicks(upTo: dataMaximum)
        let yMax = yTicks.last ?? 1
        let xSpan = max(xRange.upperBound - xRange.lowerBound, 1e-9)
        func x(_ value: Double) -> Double { left + (value - xRange.lowerBound) / xSpan * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - min(value, yMax) / yMax * plotHeight }

        var parts = [
            #"<svg class="chart" viewBox="0 0 \#(n(width)) \#(n(height))" role="img" aria-label="\#(Markup.escape(title))">"#,
            #"<text class="title" x="\#(n(left))" y="16">\#(Markup.escape(title))</text>"#,
        ]
        for tick in yTicks {
            parts.append(
                #"<line class="grid" x1="\#(n(left))" x2="\#(n(width - right))" y1="\#(n(y(tick)))" y2="\#(n(y(tick)))"/>"#
                    + #"<text class="tick" x="\#(n(left - 6))" y="\#(n(y(tick) + 4))" text-anchor="end">\#(Markup.escape(yLabel(tick)))</text>"#
            )
        }
        for tick in xTicks where xRange.contains(tick.value) {
            parts.append(
                #"<text class="tick" x="\#(n(x(tick.value)))" y="\#(n(height - bottom + 16))" text-anchor="middle">\#(Markup.escape(tick.text))</text>"#
            )
        }
        parts.append(contentsOf: bars(x: x, y: y, plotWidth: plotWidth))
        for line in lines {
            for run in Self.unbrokenRuns(line.points) {
                let path = run.map { "\(n(x($0.x))),\(n(y($0.y)))" }.joined(separator: " ")
                let dash = line.dashed ? #" stroke-dasharray="5 4""# : ""
                let shape =
                    run.count == 1
                    ? #"<circle cx="\#(n(x(run[0].x)))" cy="\#(n(y(run[0].y)))" r="2.5" fill="\#(line.color)"/>"#
                    : #"<polyline points="\#(path)" fill="none" stroke="\#(line.color)" stroke-width="2"\#(dash)/>"#
                parts.append(shape)
            }
        }
        parts.append(
            #"<line class="axis" x1="\#(n(left))" x2="\#(n(width - right))" y1="\#(n(top + plotHeight))" y2="\#(n(top + plotHeight))"/>"#
        )
        parts.append(legend())
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private var dataMaximum: Double {
        let lineMax = lines.flatMap { $0.points.compactMap(\.y) }.max() ?? 0
        let barMax = barPositions.indices.map { index in barLayers.reduce(0) { $0 + $1.values[index] } }.max() ?? 0
        return max(lineMax, barMax)
    }

    private func bars(x: (Double) -> Double, y: (Double) -> Double, plotWidth: Double) -> [String] {
        guard !barPositions.isEmpty else { return [] }
        let span = max(xRange.upperBound - xRange.lowerBound, 1)
        let barWidth = max(1, plotWidth / span * 0.7)
        var parts: [String] = []
        for (index, position) in barPositions.enumerated() {
            var base = 0.0
            for layer in barLayers where layer.values[index] > 0 {
                let top = base + layer.values[index]
                parts.append(
                    #"<rect x="\#(n(x(position) - barWidth / 2))" y="\#(n(y(top)))" width="\#(n(barWidth))" "#
                        + #"height="\#(n(max(y(base) - y(top), 0.5)))" fill="\#(layer.color)"><title>\#(Markup.escape(layer.name)) \#(n(layer.values[index]))</title></rect>"#
                )
                base = top
            }
        }
        return parts
    }

    private func legend() -> String {
        let entries =
            lines.map { ($0.name, $0.color, $0.dashed) }
            + barLayers.filter { $0.values.contains { $0 > 0 } }.map { ($0.name, $0.color, false) }
        var cursor = left
        var parts: [String] = []
        for (name, color, dashed) in entries {
            let dash = dashed ? #" stroke-dasharray="4 3""# : ""
            parts.append(
                #"<line x1="\#(n(cursor))" x2="\#(n(cursor + 18))" y1="\#(n(height - 8))" y2="\#(n(height - 8))" stroke="\#(color)" stroke-width="3"\#(dash)/>"#
                    + #"<text class="legend" x="\#(n(cursor + 22))" y="\#(n(height - 4))">\#(Markup.escape(name))</text>"#
            )
            cursor += 30 + Double(name.count) * 6.5
        }
        return parts.joined(separator: "\n")
    }

    /// Consecutive points with a value: a line is drawn through each run separately.
    static func unbrokenRuns(_ points: [(x: Double, y: Double?)]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if let value = point.y {
                runs[runs.count - 1].append((point.x, value))
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Ticks from zero at a 1, 2 or 5 × 10ⁿ step, the last at or above `maximum` (four to six of them).
    static func roundTicks(upTo maximum: Double) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let rough = maximum / 4
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
        let count = Int((maximum / step).rounded(.up))
        return (0...max(count, 1)).map { Double($0) * step }
    }

    /// Coordinates with at most one decimal, so the markup stays small and stable.
    private func n(_ value: Double) -> String {
        let text = DurationText.rounded(value, places: 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
