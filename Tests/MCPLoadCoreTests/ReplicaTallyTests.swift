import Testing

@testable import MCPLoadCore

@Suite("Replicas: who answered")
struct ReplicaTallyTests {
    @Test("answers count per replica, 404 and 400 as session breaks; answers without the header as unnamed")
    func counts() {
        var tally = ReplicaTally()
        tally.record(replica: "r1", status: 200)
        tally.record(replica: "r1", status: 404)
        tally.record(replica: "r2", status: 400)
        tally.record(replica: "r2", status: 503)
        tally.record(replica: nil, status: 200)
        #expect(tally.byReplica["r1"] == .init(requests: 2, sessionBreaks: 1))
        #expect(tally.byReplica["r2"] == .init(requests: 2, sessionBreaks: 1))
        #expect(tally.byReplica[ReplicaTally.unnamed] == .init(requests: 1, sessionBreaks: 0))
        var other = ReplicaTally()
        other.record(replica: "r1", status: 200)
        tally.merge(other)
        #expect(tally.byReplica["r1"]?.requests == 3)
        #expect(tally.sorted.map(\.name) == [ReplicaTally.unnamed, "r1", "r2"])
    }

    @Test("a server inventing replica names cannot grow the tally past its bound")
    func bounded() {
        var tally = ReplicaTally()
        for index in 0..<1_000 { tally.record(replica: "replica-\(index)", status: 200) }
        #expect(tally.byReplica.count == ReplicaTally.distinctLimit + 1)
        #expect(tally.byReplica[ReplicaTally.others]?.requests == UInt64(1_000 - ReplicaTally.distinctLimit))
    }

    @Test("replicaHeader names a header for HTTP targets; matrix rows may change url and protocolVersion")
    func scenarioKeys() throws {
        let scenario = try ScenarioText.parse(
            """
            target: { transport: http, url: "http://127.0.0.1:8000/mcp", replicaHeader: Mcp-Replica }
            steps: [ping]
            matrix:
              - { label: sticky, url: "http://127.0.0.1:8001/mcp" }
              - { label: stateless, protocolVersion: "2026-07-28" }
            """)
        #expect(scenario.target.replicaHeader == "Mcp-Replica")
        let sticky = scenario.applying(scenario.matrix[0])
        #expect(sticky.target.launch == .url("http://127.0.0.1:8001/mcp"))
        let stateless = scenario.applying(scenario.matrix[1])
        #expect(stateless.session.protocolVersion == "2026-07-28")
        #expect(stateless.target.launch == .url("http://127.0.0.1:8000/mcp"))
    }

    @Test(
        "replica and matrix mistakes are located errors",
        arguments: [
            (
                "target: { builtin: demo, replicaHeader: Mcp-Replica }\nsteps: [ping]",
                "s.yaml:1: 'replicaHeader' needs 'transport: http' (or sse)"
            ),
            (
                "target: { transport: http, url: \"http://h/mcp\", replicaHeader: \"a b\" }\nsteps: [ping]",
                "s.yaml:1: 'a b' is not a valid header name"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: x, url: \"http://h/mcp\" }",
                "s.yaml:4: a row's 'url' replaces the target's; this target has no url"
            ),
            (
                "target: { transport: http, url: \"http://h/mcp\" }\nsteps: [ping]\nmatrix:\n  - { label: x, url: ftp://h }",
                "s.yaml:4: url must start with http:// or https://, not \"ftp://h\""
            ),
        ])
    func mistakes(yaml: String, message: String) {
        #expect(ScenarioText.error(yaml) == message)
    }
}
