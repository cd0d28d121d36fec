import MCPLoadJSONRPC
import Testing

@testable import MCPLoadCore

@Suite("Leak scanner")
struct LeakScannerTests {
    private let scanner = LeakScanner()

    private func found(_ text: String) -> [LeakHit] { scanner.scan(text) }

    private func values(_ text: String, _ detector: LeakDetector) -> [String] {
        found(text).filter { $0.detector == detector }.map(\.value)
    }

    @Test(
        "each detector finds its kind of value, and only the value",
        arguments: [
            ("write to ann.lee+x@example.co.uk today", LeakDetector.email, "ann.lee+x@example.co.uk"),
            ("card 4111 1111 1111 1111 exp 12/29", .card, "4111 1111 1111 1111"),
            ("pay 4242424242424242.", .card, "4242424242424242"),
            ("IBAN GB82WEST12345698765432 ok", .iban, "GB82WEST12345698765432"),
            ("ssn 123-45-6789", .ssn, "123-45-6789"),
            ("key AKIAIOSFODNN7EXAMPLE in env", .awsKey, "AKIAIOSFODNN7EXAMPLE"),
            (
                "token ghp_0123456789abcdefghijklmnopqrstuvwxyz ok", .githubToken,
                "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
            ),
            ("slack xoxb-1234567890-abcdefghij", .slackToken, "xoxb-1234567890-abcdefghij"),
            ("OPENAI=sk-proj-abcdefghijklmnopqrstuvwxyz1234", .apiKey, "sk-proj-abcdefghijklmnopqrstuvwxyz1234"),
            (
                "jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                .jwt,
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
            ),
            (
                "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nb", .privateKey,
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
            ),
            (
                "dsn postgres://admin:hunter2@db.internal:5432/app", .urlCredentials,
                "postgres://admin:hunter2@db.internal"
            ),
            ("Authorization: Bearer abcdefghijklmnop1234", .bearer, "abcdefghijklmnop1234"),
            ("planted mcpl-canary-0123456789abcdef here", .canary, "mcpl-canary-0123456789abcdef"),
        ])
    func finds(text: String, detector: LeakDetector, value: String) {
        #expect(values(text, detector) == [value], "\(found(text))")
    }

    @Test(
        "look-alikes are not leaks",
        arguments: [
            "a@b", "@handle", "me@localhost", "card 4111 1111 1111 1112", "id 12345678901234567890123",
            "IBAN GB82WEST12345698765431", "000-12-3456 666-12-3456 912-12-3456 123-00-4567", "AKIAIOSFODNN7EXAMPL",
            "ghp_short", "xoxb-short", "sk-short", "task-abcdefghijklmnopqrstuvwxyz",
            "eyJub3QiOiJqd3QifQ.eyJ4IjoxfQ.c2ln", "-----BEGIN CERTIFICATE-----", "https://example.com/a:b@c",
            "bearer short", "mcpl-canary-XYZ",
        ])
    func rejects(text: String) {
        #expect(found(text).isEmpty, "\(found(text))")
    }

    @Test("values escaped on the wire are found in the decoded strings, keys included, each once")
    func decoded() throws {
        let wire =
            #"{"text":"mail ann\u0040example.com and https:\/\/u:pw@h.io","ann@example.com":["ann@example.com"]}"#
        let hits = scanner.scan(try JSONValue.decode(Array(wire.utf8)))
        #expect(
            Set(hits) == [
                LeakHit(detector: .email, value: "ann@example.com"),
                LeakHit(detector: .urlCredentials, value: "https://u:pw@h.io"),
            ])
    }

    @Test("only the enabled detectors run")
    func enabled() {
        let onlyEmail = LeakScanner(detectors: [.email])
        #expect(onlyEmail.scan("ann@example.com 123-45-6789").map(\.detector) == [.email])
    }

    @Test("a scenario's own pattern finds its values beside the built-in detectors, and redaction covers them")
    func customPattern() throws {
        let employee = try CustomLeakPattern(name: "employee-id", pattern: #"EMP-(\d{6})"#)
        let scanner = LeakScanner(detectors: [.email], custom: [employee])
        let hits = scanner.scan(["note": "EMP-123456 and EMP-123456 wrote to ann@example.com; EMP-12 is too short"])
        #expect(hits.map(\.detector.rawValue).sorted() == ["email", "employee-id"])
        #expect(hits.first { $0.detector.rawValue == "employee-id" }?.value == "EMP-123456")
        #expect(scanner.redact("id EMP-654321 here") == "id EM…21 here")
        #expect(!employee.matchesEmptyText)
        #expect(try CustomLeakPattern(name: "x", pattern: "a*").matchesEmptyText)
        #expect(throws: (any Error).self) { try CustomLeakPattern(name: "x", pattern: "(unclosed") }
        #expect(
            LeakDetector.reportOrder([employee.detector, .canary, .email]) == [.email, .canary, employee.detector])
    }
}
