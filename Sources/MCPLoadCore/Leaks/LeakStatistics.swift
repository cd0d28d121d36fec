/// What the leak scanner found over a run, per detector. Raw values never appear: examples are
/// redacted previews (`sk-…4f2a`), and distinct values are told apart by salted fingerprints
/// kept in memory only.
package struct LeakStatistics: Sendable, Equatable, Codable {
    package var detectors: [LeakDetector: DetectorCounts] = [:]

    package init() {}

    package struct DetectorCounts: Sendable, Equatable, Codable {
        /// Appearances in server→client payloads.
        package var exposed: UInt64 = 0
        /// Values the server had exposed to a client that the client then sent again.
        package var retransmitted: UInt64 = 0
        /// Canaries planted by one client that reached another client's session (with `auth:`,
        /// another client of the same identity).
        package var crossSession: UInt64 = 0
        /// With `auth:`: canaries of one identity that reached another identity (a tenant's data
        /// in another tenant's answer: the breach that matters).
        package var crossIdentity: UInt64 = 0
        /// Distinct values exposed.
        package var uniqueValues: UInt64 = 0
        /// Up to three redacted previews.
        package var examples: [String] = []
        /// Per step label: appearances in its answers, and re-sends in its requests.
        package var exposedBySteps: [String: UInt64] = [:]
        package var retransmittedBySteps: [String: UInt64] = [:]

        package init() {}

        private enum CodingKeys: String, CodingKey {
            case exposed, retransmitted, crossSession, crossIdentity, uniqueValues, examples, exposedBySteps
            case retransmittedBySteps
        }

        /// The per-step counts came within schema v1: absent in earlier results, they are empty.
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            exposed = try container.decode(UInt64.self, forKey: .exposed)
            retransmitted = try container.decode(UInt64.self, forKey: .retransmitted)
            crossSession = try container.decode(UInt64.self, forKey: .crossSession)
            crossIdentity = try container.decodeIfPresent(UInt64.self, forKey: .crossIdentity) ?? 0
            uniqueValues = try container.decode(UInt64.self, forKey: .uniqueValues)
            examples = try container.decode([String].self, forKey: .examples)
            exposedBySteps = try container.decodeIfPresent([String: UInt64].self, forKey: .exposedBySteps) ?? [:]
            retransmittedBySteps =
                try container.decodeIfPresent([String: UInt64].self, forKey: .retransmittedBySteps) ?? [:]
        }

        mutating func noteExposed(step: String?, crossing: CanaryCrossing, newValue: String?) {
            exposed += 1
            if let step { exposedBySteps[step, default: 0] += 1 }
            switch crossing {
            case .none: break
            case .session: crossSession += 1
            case .identity: crossIdentity += 1
            }
            // Up to three previews, of distinct values.
            if let newValue, examples.count < 3 {
                let preview = LeakRedaction.preview(newValue)
                if !examples.contains(preview) { examples.append(preview) }
            }
        }

        /// Another tally's counts added to these (previews up to three, distinct ones).
        mutating func add(_ other: DetectorCounts) {
            exposed += other.exposed
            retransmitted += other.retransmitted
            crossSession += other.crossSession
            crossIdentity += other.crossIdentity
            uniqueValues += other.uniqueValues
            exposedBySteps.merge(other.exposedBySteps, uniquingKeysWith: +)
            retransmittedBySteps.merge(other.retransmittedBySteps, uniquingKeysWith: +)
            for example in other.examples where examples.count < 3 && !examples.contains(example) {
                examples.append(example)
            }
        }

        mutating func noteRetransmitted(step: String?) {
            retransmitted += 1
            if let step { retransmittedBySteps[step, default: 0] += 1 }
        }

        /// Wire appearances (exposed and re-sent) per distinct value.
        package var amplification: Double {
            uniqueValues == 0 ? 0 : Double(exposed + retransmitted) / Double(uniqueValues)
        }
    }

    package var isEmpty: Bool { detectors.values.allSatisfy { $0.exposed == 0 && $0.retransmitted == 0 } }

    /// Another shard's counts added to these. Distinct values are summed: a value two shards
    /// both saw counts twice, so a merged `uniqueValues` is an upper bound (exact when the
    /// shards' values are disjoint, as per-client canaries and per-record values are).
    package mutating func merge(_ other: LeakStatistics) {
        for (detector, counts) in other.detectors { detectors[detector, default: DetectorCounts()].add(counts) }
    }
}

/// Whose session a canary reached: its owner's (none), another client's of the same identity
/// (or of a run without identities), or another identity's.
package enum CanaryCrossing: Sendable, Equatable {
    case none
    case session
    case identity
}

/// One client's leak counts, with the fingerprints that tell re-sends and distinct values.
/// Lives in the client's recorder: no lock. Merged, it holds the clients' distinct values.
package struct LeakTally: Sendable {
    package var counts: [LeakDetector: LeakStatistics.DetectorCounts] = [:]
    /// This client's fingerprints, per detector (bounded: see ``LeakFingerprints``).
    package var fingerprints: [LeakDetector: LeakFingerprints] = [:]
    /// Distinct values of the clients merged into this tally.
    private var merged: [LeakDetector: DistinctValues] = [:]

    package init() {}

    /// One access to each table per hit: this runs for every sensitive value in every answer.
    package mutating func exposed(
        _ hit: LeakHit, fingerprint: UInt64, crossing: CanaryCrossing = .none, step: String? = nil
    ) {
        let isNew = fingerprints[hit.detector, default: LeakFingerprints()].insert(fingerprint)
        // Previews of the first few distinct values only: distinct values can share a preview
        // (`an…com`), and making one for every new value would cost more than the counting.
        let firstFew = isNew && (fingerprints[hit.detector]?.exactCount ?? .max) <= Self.exampleCandidates
        counts[hit.detector, default: .init()].noteExposed(
            step: step, crossing: crossing, newValue: firstFew ? hit.value : nil)
    }

    static let exampleCandidates = 16

    /// Whether this client was shown the value with `fingerprint` before (by `detector`): a
    /// request carrying it re-sends what the server exposed.
    package func wasExposed(_ fingerprint: UInt64, by detector: LeakDetector) -> Bool {
        fingerprints[detector]?.contains(fingerprint) ?? false
    }

    /// Whether anything was exposed to this client yet.
    package var hasExposures: Bool { fingerprints.values.contains { !$0.isEmpty } }

    package mutating func retransmitted(_ hit: LeakHit, step: String? = nil) {
        counts[hit.detector, default: .init()].noteRetransmitted(step: step)
    }

    package mutating func merge(_ other: LeakTally) {
        // Distinct values are not in these counts (0 here): they come from the fingerprints.
        for (detector, theirs) in other.counts { counts[detector, default: .init()].add(theirs) }
        foldFingerprints()
        for (detector, theirs) in other.distinctValues {
            merged[detector, default: DistinctValues()].merge(theirs)
        }
    }

    /// This tally's own fingerprints move into its merged distinct values: once clients are
    /// merged, nobody asks about re-sends any more.
    private mutating func foldFingerprints() {
        for (detector, own) in fingerprints {
            merged[detector, default: DistinctValues()].merge(own.distinctValues)
        }
        fingerprints = [:]
    }

    /// Distinct values per detector: merged clients' and this client's own.
    private var distinctValues: [LeakDetector: DistinctValues] {
        var all = merged
        for (detector, own) in fingerprints { all[detector, default: DistinctValues()].merge(own.distinctValues) }
        return all
    }

    /// The statistics a result keeps: counts, distinct values, previews; no fingerprints.
    package var statistics: LeakStatistics {
        var statistics = LeakStatistics()
        let distinct = distinctValues
        for (detector, var entry) in counts {
            entry.uniqueValues = distinct[detector]?.count ?? 0
            statistics.detectors[detector] = entry
        }
        return statistics
    }
}

/// Keeps sensitive values out of every output.
package enum LeakRedaction {
    /// `sk-…4f2a`, `an…com`: enough to recognise a value, never enough to use it. Known key
    /// prefixes are kept whole; at most the last four characters show.
    package static func preview(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count >= 8 else { return "…" }
        let knownPrefixes = [
            "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "AKIA", "ASIA", "eyJ",
        ]
        let head = knownPrefixes.first { value.hasPrefix($0) }.map(\.count) ?? min(2, characters.count / 4)
        let tail = min(4, characters.count / 4)
        return String(characters.prefix(head)) + "…" + String(characters.suffix(tail))
    }

    /// A salted 64-bit FNV-1a fingerprint: equal values match within a run; the salt stays in
    /// memory, so a result cannot be searched for a guessed value.
    package static func fingerprint(_ value: String, salt: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ salt
        for byte in value.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// `leaks:` in a scenario: which detectors run, and whether clients get canaries.
package struct LeakSettings: Sendable, Hashable {
    package var detectors: Set<LeakDetector>
    package var perClientCanaries: Bool
    /// `custom: { NAME: REGEX }`: the scenario's own detectors.
    package var custom: [CustomLeakPattern] = []

    package init(detectors: Set<LeakDetector> = Set(LeakDetector.allCases), perClientCanaries: Bool = true) {
        self.detectors = detectors
        self.perClientCanaries = perClientCanaries
    }

    /// Every detector name a threshold may use with these settings.
    package var detectorNames: [LeakDetector] { LeakDetector.allCases + custom.map(\.detector) }
}
