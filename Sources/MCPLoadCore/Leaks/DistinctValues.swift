/// Distinct fingerprints over many clients (a run's, or several runs'): exact up to
/// ``exactLimit`` values, then a ``DistinctSketch`` (about 1.6% error), so that merging the
/// clients of a long run costs bounded memory.
package enum DistinctValues: Sendable {
    case exact(FingerprintSet)
    case sketch(DistinctSketch)

    package static let exactLimit = 65_536

    package init() { self = .exact(FingerprintSet()) }

    package var count: UInt64 {
        switch self {
        case .exact(let set): UInt64(set.count)
        case .sketch(let sketch): sketch.estimate
        }
    }

    package var isExact: Bool {
        if case .exact = self { true } else { false }
    }

    package mutating func merge(_ other: DistinctValues) {
        switch (self, other) {
        case (.exact(var mine), .exact(let theirs)):
            mine.formUnion(theirs)
            self = .exact(mine)
            if mine.count > Self.exactLimit { self = .sketch(Self.sketch(of: mine)) }
        case (.exact(let mine), .sketch(var theirs)):
            for fingerprint in mine.members { theirs.insert(fingerprint) }
            self = .sketch(theirs)
        case (.sketch(var mine), .exact(let theirs)):
            for fingerprint in theirs.members { mine.insert(fingerprint) }
            self = .sketch(mine)
        case (.sketch(var mine), .sketch(let theirs)):
            mine.merge(theirs)
            self = .sketch(mine)
        }
    }

    private static func sketch(of set: FingerprintSet) -> DistinctSketch {
        var sketch = DistinctSketch()
        for fingerprint in set.members { sketch.insert(fingerprint) }
        return sketch
    }
}
