import Testing

@testable import MCPLoadCore

@Suite("Leak statistics")
struct LeakStatisticsTests {
    @Test("previews show a known prefix or two characters, and at most the last four; short values nothing")
    func previews() {
        #expect(LeakRedaction.preview("sk-proj-abcdefghijklmnop4f2a") == "sk-…4f2a")
        #expect(LeakRedaction.preview("ann.lee@example.com") == "an….com")
        #expect(LeakRedaction.preview("4111111111111111") == "41…1111")
        #expect(LeakRedaction.preview("short") == "…")
    }

    @Test("fingerprints are equal for equal values under one salt, and differ across salts")
    func fingerprints() {
        #expect(LeakRedaction.fingerprint("a@b.io", salt: 7) == LeakRedaction.fingerprint("a@b.io", salt: 7))
        #expect(LeakRedaction.fingerprint("a@b.io", salt: 7) != LeakRedaction.fingerprint("a@b.io", salt: 8))
        #expect(LeakRedaction.fingerprint("a@b.io", salt: 7) != LeakRedaction.fingerprint("c@b.io", salt: 7))
    }

    @Test("clients' tallies merge: counts add, distinct values are counted once across clients")
    func merge() {
        let email = LeakHit(detector: .email, value: "ann@example.com")
        var first = LeakTally()
        first.exposed(email, fingerprint: 1)
        first.exposed(email, fingerprint: 1)
        first.retransmitted(email)
        var second = LeakTally()
        second.exposed(email, fingerprint: 1)
        second.exposed(
            LeakHit(detector: .canary, value: "mcpl-canary-0123456789abcdef"), fingerprint: 9, crossing: .session)
        first.merge(second)
        let statistics = first.statistics
        #expect(statistics.detectors[.email]?.exposed == 3)
        #expect(statistics.detectors[.email]?.uniqueValues == 1)
        #expect(statistics.detectors[.email]?.retransmitted == 1)
        #expect(statistics.detectors[.email]?.amplification == 4)
        #expect(statistics.detectors[.email]?.examples == ["an…com"])
        #expect(statistics.detectors[.canary]?.crossSession == 1)
    }

    @Test("leaks: detectors all or a list, canaries per-client or none; mistakes are located")
    func parses() throws {
        let all = try ScenarioText.parse("target: { builtin: demo }\nsteps: [ping]\nleaks: { detectors: all }")
        #expect(all.leaks == LeakSettings())
        let some = try ScenarioText.parse(
            "target: { builtin: demo }\nsteps: [ping]\nleaks: { detectors: [email, card], canaries: none }")
        #expect(some.leaks == LeakSettings(detectors: [.email, .card], perClientCanaries: false))
        let message = ScenarioText.error("target: { builtin: demo }\nsteps: [ping]\nleaks: { detectors: [emial] }")
        #expect(message?.hasPrefix("s.yaml:3: unknown leak detector 'emial'") == true, "\(message ?? "")")
    }

    @Test("scanning redacts what it finds in free text")
    func redactsText() {
        let text = "result does not contain \"mail ann@example.com\""
        #expect(LeakScanner().redact(text) == "result does not contain \"mail an…com\"")
    }
}

@Suite("Fingerprint set")
struct FingerprintSetTests {
    @Test("agrees with Set<UInt64> on inserts, lookups, growth, zero and union")
    func agreesWithSet() {
        var state: UInt64 = 42
        var values: [UInt64] = [0, 1, 16, 32]
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Collisions in the low bits on purpose: probing must cope.
            values.append(state & 0xFFFF_0000_0000_00FF)
        }
        var ours = FingerprintSet()
        var reference = Set<UInt64>()
        for value in values { #expect(ours.insert(value) == reference.insert(value).inserted) }
        #expect(ours.count == reference.count)
        for value in values.prefix(100) { #expect(ours.contains(value)) }
        #expect(!ours.contains(0xDEAD_BEEF))
        var half = FingerprintSet()
        var other = FingerprintSet()
        for (index, value) in values.enumerated() {
            if index.isMultiple(of: 2) { half.insert(value) } else { other.insert(value) }
        }
        half.formUnion(other)
        #expect(half == ours)
        #expect(FingerprintSet().isEmpty && !FingerprintSet().contains(0))
    }
}
