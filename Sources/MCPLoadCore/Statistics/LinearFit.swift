/// A least-squares line through points added one at a time, in constant memory: how fast one
/// quantity grows with another over a whole run (a server's memory per session closed), fitted
/// over every sample rather than read off two.
package struct LinearFit: Sendable, Hashable, Codable {
    package private(set) var count = 0
    private var sumX = 0.0
    private var sumY = 0.0
    private var sumXX = 0.0
    private var sumXY = 0.0

    package init() {}

    package mutating func add(x: Double, y: Double) {
        guard x.isFinite, y.isFinite else { return }
        count += 1
        sumX += x
        sumY += y
        sumXX += x * x
        sumXY += x * y
    }

    /// dy/dx of the fitted line; nil with fewer than three points or no spread in x.
    package var slope: Double? {
        guard count >= 3 else { return nil }
        let n = Double(count)
        let spread = n * sumXX - sumX * sumX
        guard spread > 1e-9 * max(1, n * sumXX) else { return nil }
        return (n * sumXY - sumX * sumY) / spread
    }
}
