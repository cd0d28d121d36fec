/// The fingerprints of the values one detector found in one client's answers: for telling a
/// re-send (a value the client was shown before) and for counting distinct values, in bounded
/// memory however long the run.
///
/// Re-sends are recognised for recent values: the fingerprints live in two generations of at
/// most ``generationSize`` each, and when the newer one fills, the older is forgotten. Agents
/// re-send what is in their transcript, which is recent, so little is lost; a re-send of a value
/// forgotten since counts as a new exposure's, not as a re-send. Distinct values are counted
/// exactly until the first generation is forgotten, then by a ``DistinctSketch`` that was given
/// every value before it (about 1.6% error).
package struct LeakFingerprints: Sendable {
    static let generationSize = 1024

    private var current = FingerprintSet()
    private var previous = FingerprintSet()
    /// Every value, once exact counting had to stop.
    private var sketch: DistinctSketch?
    private var exactTotal = 0

    package init() {}

    package var isEmpty: Bool { current.isEmpty && previous.isEmpty }

    package func contains(_ fingerprint: UInt64) -> Bool {
        current.contains(fingerprint) || previous.contains(fingerprint)
    }

    /// Adds `fingerprint`; true when it is not among the recent values.
    @discardableResult
    package mutating func insert(_ fingerprint: UInt64) -> Bool {
        guard !previous.contains(fingerprint), current.insert(fingerprint) else { return false }
        if sketch != nil {
            sketch?.insert(fingerprint)
        } else {
            exactTotal += 1
        }
        if current.count >= Self.generationSize { forgetOldest() }
        return true
    }

    private mutating func forgetOldest() {
        if sketch == nil {
            // Everything so far is in the two generations: the sketch starts with all of it.
            var all = DistinctSketch()
            for fingerprint in previous.members { all.insert(fingerprint) }
            for fingerprint in current.members { all.insert(fingerprint) }
            sketch = all
        }
        previous = current
        current = FingerprintSet()
    }

    /// Distinct values added so far while they are counted exactly; nil once estimated.
    package var exactCount: Int? { sketch == nil ? exactTotal : nil }

    /// Distinct values added so far, and whether the count is exact.
    package var distinct: (count: UInt64, exact: Bool) {
        sketch.map { ($0.estimate, false) } ?? (UInt64(exactTotal), true)
    }

    /// Every distinct value so far, for counting across clients: the exact set while nothing
    /// was forgotten, the sketch after.
    package var distinctValues: DistinctValues {
        if let sketch { return .sketch(sketch) }
        var all = previous
        all.formUnion(current)
        return .exact(all)
    }
}
