import Foundation
import Testing

@testable import MCPLoadCore

/// What a user, a file or a flag can hand mcpload that must end in a clear error, never a trap
/// or an endless parse.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("numbers from outside convert without trapping: NaN, infinities and values beyond 64 bits clamp")
    func clampedConversions() {
        #expect(Int64(clampingDouble: .nan) == 0)
        #expect(Int64(clampingDouble: .infinity) == .max)
        #expect(Int64(clampingDouble: -.infinity) == .min)
        #expect(Int64(clampingDouble: 1e19) == .max)
        #expect(Int64(clampingDouble: 9_223_372_036_854_775_808) == .max)
        #expect(UInt64(clampingDouble: -5) == 0)
        #expect(Int(clampingDouble: 42.9) == 42)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(Int64.min).nanoseconds == .min)
    }

    @Test(
        "durations past 100 years, and sizes past 1 TiB or not numbers at all, are refused rather than trapping",
        arguments: ["1000000h", "4000000000s", "1e400s", "99999999999999999999999ms"])
    func durationBounds(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(
        "sizes: inf, nan, hexadecimal and over a tebibyte are not sizes",
        arguments: [
            "infGiB", "nanMiB", "0x1p3KiB", "1025GiB", "2000000000000", "-1MiB", "0",
        ])
    func sizeBounds(text: String) {
        #expect(ByteSizeText.parse(text) == nil)
    }

    @Test("the largest accepted duration and size still parse")
    func bounds() {
        #expect(DurationText.parse("876000h") == DurationText.maximum)
        #expect(ByteSizeText.parse("1024GiB") == 1 << 40)
    }

    @Test(
        "scenario numbers beyond what a run can mean are located errors",
        arguments: [
            ("load: { model: open, rate: 1e19/s, duration: 10s }", "s.yaml:2: load.rate: '1e19/s' is not a rate"),
            (
                "load: { model: open, rate: 2000000000/s, duration: 10s }",
                "s.yaml:2: load.rate: '2000000000/s' is more than 1000000000 iterations per second"
            ),
            ("load: { model: open, rate: inf/s, duration: 10s }", "s.yaml:2: load.rate: 'inf/s' is not a rate"),
            ("load: { vus: 9223372036854775807 }", "s.yaml:2: load.vus must be at most 1000000"),
            ("load: { duration: 0s }", "s.yaml:2: load.duration must be longer than 0"),
            ("session: { requestTimeout: 0ms }", "s.yaml:2: session.requestTimeout must be longer than 0"),
            ("session: { maxMessageSize: infGiB }", "s.yaml:2: session.maxMessageSize: bad size"),
            (
                "load: { model: ceiling, start: 1/s, step: 0.0001/s, max: 1000/s, hold: 1s, until: [\"failure_rate < 1%\"] }",
                "s.yaml:2: from load.start to load.max by load.step is more than 1000 steps"
            ),
        ])
    func scenarioNumbers(line: String, expected: String) {
        let error = ScenarioText.error("target: { builtin: demo }\n\(line)\nsteps: [ping]\n")
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
    }

    @Test("a billion-laughs document is refused at the alias that goes over the budget, before anything expands")
    func aliasBomb() {
        var yaml = "target: { builtin: demo }\nsteps:\n  - call_tool:\n      name: echo\n      arguments:\n"
        yaml += "        a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            let references = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            yaml += "        \(name): &\(name) [\(references)]\n"
        }
        let error = ScenarioText.error(yaml)
        #expect(error?.hasPrefix("s.yaml:10: the alias *d expands the document past 10000 values") == true)
    }

    @Test("an alias as a mapping key is counted too (hashing it would walk its expansion)")
    func aliasKeyBomb() {
        var yaml = "a: &a [1,2,3,4,5,6,7,8,9]\n"
        for (name, previous) in zip("bcdef", "abcde") {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        yaml += "? *f\n: x\n"
        #expect(ScenarioText.error(yaml)?.contains("expands the document past") == true)
    }

    @Test("a few shared values through aliases are fine")
    func modestAliases() throws {
        let scenario = try ScenarioText.parse(
            """
            target: { builtin: demo }
            steps:
              - call_tool: { name: echo, arguments: &args { text: "hi", n: 3 } }
              - call_tool: { name: echo, arguments: *args }
            """)
        #expect(scenario.steps.count == 2)
    }

    @Test("a header value with a line break is refused where it is written")
    func headerInjection() {
        let error = ScenarioText.error(
            "target: { transport: http, url: \"http://127.0.0.1:1/mcp\", headers: { X-A: \"a\\r\\nInjected: b\" } }\n"
                + "steps: [ping]\n")
        #expect(error?.hasPrefix("s.yaml:1: target.headers.X-A: the value holds a line break") == true)
        #expect(HeaderValue.isValid("Bearer abc\tdef"))
        #expect(!HeaderValue.isValid("a\nb") && !HeaderValue.isValid("a\u{7F}"))
    }

    @Test("a result file with numbers no run makes is refused before any report does arithmetic on it")
    func doctoredResult() throws {
        let huge = #"{"schema": "mcpload.result/v1", "totals": {"attempts": 18446744073709551615}}"#
        #expect(throws: DecodingError.self) { try RunResult.decode(from: Data(huge.utf8)) }
        let infinite = #"{"schema": "mcpload.result/v1", "x": 1e400}"#
        #expect(throws: (any Error).self) { try RunResult.decode(from: Data(infinite.utf8)) }
    }
}

@Suite("Redaction")
struct RedactionTests {
    @Test("a secret straddling the cut is redacted whole before the text is cut: no prefix survives")
    func redactThenCut() {
        let secret = "sk-live-0123456789abcdefghijklmn"
        let redactor = Redactor(secrets: [secret])
        let text = String(repeating: "y", count: 110) + secret + " and more"
        let excerpt = redactor.excerpt(text, limit: 120)
        #expect(!excerpt.contains("sk-live"))
        #expect(excerpt.hasPrefix(String(repeating: "y", count: 110) + "[redacted]"))
        #expect(redactor.excerpt(Array(text.utf8), limit: 120) == excerpt)
    }

    @Test("what the leak detectors recognise is redacted too, before any cut")
    func patternsBeforeCut() {
        let redactor = Redactor.none.recognising(LeakScanner())
        let key = "AKIAIOSFODNN7EXAMPLE"
        let text = String(repeating: "x ", count: 55) + key
        #expect(!redactor.excerpt(text, limit: 115).contains("AKIAIOSF"))
    }

    @Test("URL credentials: user information and query values are secrets")
    func urlSecrets() {
        let target = TargetSpec(launch: .url("https://user:p4ssw0rd@host:8443/mcp?token=abc123xyz&mode=fast"))
        let secrets = Set(target.launchSecrets)
        #expect(secrets.isSuperset(of: ["user:p4ssw0rd", "p4ssw0rd", "abc123xyz"]))
        let redactor = Redactor(secrets: target.launchSecrets)
        #expect(!redactor.redact("GET https://user:p4ssw0rd@host:8443/mcp?token=abc123xyz").contains("abc123xyz"))
    }

    @Test("server environment values of 8 characters or more are secrets; short settings are not")
    func environmentSecrets() {
        var target = TargetSpec(
            launch: .command(["server"]), environment: ["API_KEY": "k-1234567890", "DEBUG": "true"])
        target.secretArguments = ["--token=hunter22"]
        let redactor = Redactor(secrets: target.launchSecrets)
        #expect(
            redactor.redact("key k-1234567890, debug true, --token=hunter22")
                == "key [redacted], debug true, [redacted]")
    }

    @Test("${VAR} in command words and environment values is read from the environment and becomes a secret")
    func resolvedReferences() throws {
        let scenario = try ScenarioText.parse(
            """
            target:
              command: [server, --token, "${TOKEN}", { secret: literal-secret-1 }]
              env: { LEVEL: "${LEVEL}" }
            steps: [ping]
            """)
        let resolved = try scenario.target.resolvingReferences(in: ["TOKEN": "tok-abcdef", "LEVEL": "3"])
        #expect(resolved.launch == .command(["server", "--token", "tok-abcdef", "literal-secret-1"]))
        #expect(resolved.environment["LEVEL"] == "3")
        #expect(Set(resolved.launchSecrets).isSuperset(of: ["tok-abcdef", "literal-secret-1"]))
        #expect(throws: EnvironmentTemplate.MissingVariable.self) {
            try scenario.target.resolvingReferences(in: [:])
        }
        #expect(
            ScenarioText.error("target: { command: [server, \"${1BAD}\"] }\nsteps: [ping]\n")?.hasPrefix("s.yaml:1:")
                == true)
    }
}

@Suite("Bounded timeline")
struct BoundedTimelineTests {
    @Test("past its capacity the timeline coarsens: half as many buckets, counts exactly the same")
    func coarsens() {
        var timeline = Timeline()
        for second in 0..<(Timeline.capacity + 1) {
            timeline.append(
                .init(
                    at: second, requests: 3, failures: [.timeout: 1], latencyBuckets: [[10, 2]],
                    openSessions: second))
        }
        #expect(timeline.seconds.count == Timeline.capacity / 2 + 1)
        #expect(timeline.seconds.allSatisfy { $0.span == 2 })
        #expect(timeline.seconds.reduce(0) { $0 + $1.requests } == 3 * UInt64(Timeline.capacity + 1))
        #expect(timeline.seconds.reduce(0) { $0 + ($1.failures[.timeout] ?? 0) } == UInt64(Timeline.capacity + 1))
        #expect(timeline.seconds.first?.latencyBuckets == [[10, 4]])
        #expect(timeline.seconds.first?.requestRate == 3)
        // Later seconds go into the open two-second bucket, then a new one.
        let before = timeline.seconds.count
        timeline.append(
            .init(at: Timeline.capacity + 1, requests: 1, failures: [:], latencyBuckets: [], openSessions: 0))
        #expect(timeline.seconds.count == before)
        timeline.append(
            .init(at: Timeline.capacity + 2, requests: 1, failures: [:], latencyBuckets: [], openSessions: 0))
        #expect(timeline.seconds.count == before + 1)
    }
}

@Suite("Bounded leak fingerprints")
struct BoundedLeakFingerprintsTests {
    @Test("recent values are recognised, old ones forgotten; distinct values counted exactly, then estimated")
    func generations() {
        var fingerprints = LeakFingerprints()
        let total = 10 * LeakFingerprints.generationSize
        for value in 1...UInt64(total) { fingerprints.insert(value &* 0x9E37_79B9_7F4A_7C15) }
        #expect(fingerprints.contains(UInt64(total) &* 0x9E37_79B9_7F4A_7C15))
        #expect(!fingerprints.contains(1 &* 0x9E37_79B9_7F4A_7C15))
        let (count, exact) = fingerprints.distinct
        #expect(!exact)
        // One standard error is 1.6%; four of them bound this deterministic case comfortably.
        #expect(abs(Double(count) - Double(total)) / Double(total) < 0.065)
    }

    @Test("below a generation the count is exact, and a re-inserted value is not new")
    func exactWhileSmall() {
        var fingerprints = LeakFingerprints()
        for value in 1...UInt64(100) { fingerprints.insert(value) }
        let again = fingerprints.insert(50)
        #expect(!again)
        #expect(fingerprints.distinct == (100, true))
    }

    @Test("distinct values merge exactly across clients until the limit, then through sketches")
    func mergeAcrossClients() {
        var run = DistinctValues()
        for client in 0..<4 {
            var fingerprints = LeakFingerprints()
            for value in 0..<UInt64(500) { fingerprints.insert(UInt64(client % 2) * 1_000_000 + value + 1) }
            run.merge(fingerprints.distinctValues)
        }
        #expect(run.isExact && run.count == 1000)
        var big = DistinctValues()
        var set = FingerprintSet()
        for value in 1...UInt64(DistinctValues.exactLimit + 1) { set.insert(value &* 0xBF58_476D_1CE4_E5B9) }
        big.merge(.exact(set))
        #expect(!big.isExact)
    }
}
