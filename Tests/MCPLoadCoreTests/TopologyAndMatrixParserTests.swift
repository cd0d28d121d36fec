import Testing

@testable import MCPLoadCore

@Suite("Scenario files: topology and matrix")
struct TopologyAndMatrixParserTests {
    private func parse(_ yaml: String) throws(ScenarioError) -> Scenario { try ScenarioText.parse(yaml) }

    private func error(_ yaml: String) -> String? { ScenarioText.error(yaml) }

    @Test("a shared-process target with its proxy settings; process per client by default")
    func topology() throws {
        let shared = try parse(
            """
            target:
              builtin: demo
              topology: shared-process
              proxy: { ids: passthrough, initialize: forward, route: first, processes: 2 }
            steps: [ping]
            """)
        #expect(
            shared.target.topology
                == .sharedProcess(FanInSettings(ids: .passthrough, initialize: .forward, route: .first, processes: 2)))
        let defaults = try parse("target: { builtin: demo, topology: shared-process }\nsteps: [ping]")
        #expect(defaults.target.topology == .sharedProcess(FanInSettings(ids: .rewrite, initialize: .intercept)))
        #expect(try parse("target: { builtin: demo }\nsteps: [ping]").target.topology == .processPerClient)
    }

    @Test(
        "topology mistakes are located errors",
        arguments: [
            (
                "target:\n  builtin: demo\n  topology: fan-in\nsteps: [ping]",
                "s.yaml:3: topology 'fan-in' is not one of"
            ),
            ("target:\n  builtin: demo\n  proxy: { ids: rewrite }\nsteps: [ping]", "s.yaml:3: 'proxy' needs"),
            (
                "target:\n  builtin: demo\n  topology: shared-process\n  proxy: { ids: renumber }\nsteps: [ping]",
                "s.yaml:4: target.proxy.ids 'renumber' is not one of passthrough, rewrite"
            ),
            (
                "target:\n  builtin: demo\n  topology: shared-process\n  proxy: { processes: 0 }\nsteps: [ping]",
                "s.yaml:4:"
            ),
            (
                "target:\n  builtin: demo\n  transport: http\n  topology: shared-process\nsteps: [ping]",
                "s.yaml:2: 'topology' applies to stdio targets"
            ),
        ])
    func topologyErrors(yaml: String, expected: String) {
        let message = error(yaml)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "no error")")
    }

    @Test("matrix rows change transport or topology under a label; applying one gives a single run")
    func matrix() throws {
        let scenario = try parse(
            """
            target: { builtin: demo }
            steps: [ping]
            matrix:
              - { label: naive, about: "fails", topology: shared-process, proxy: { ids: passthrough } }
              - { label: per client, topology: process-per-client }
              - { label: http, transport: http }
            """)
        #expect(scenario.matrix.map(\.label) == ["naive", "per client", "http"])
        let naive = scenario.applying(scenario.matrix[0])
        #expect(naive.variantLabel == "naive" && naive.variantAbout == "fails")
        #expect(naive.matrix.isEmpty)
        #expect(naive.target.topology == .sharedProcess(FanInSettings(ids: .passthrough)))
        let http = scenario.applying(scenario.matrix[2])
        #expect(http.target.transport == .http && http.target.topology == .processPerClient)
    }

    @Test(
        "a row adds server arguments or leaves sessions without DELETE; the server's session count and DELETE switch parse"
    )
    func churnRows() throws {
        let scenario = try parse(
            """
            target:
              transport: http
              builtin: demo
              args: [--latency, 1ms]
              sessionCount: { url: /metrics, metric: mcp_sessions_active }
            session: { strategy: per-request, delete: true }
            steps: [ping]
            matrix:
              - { label: leaking, args: [--leak-sessions] }
              - { label: no delete, delete: false }
            """)
        #expect(scenario.target.sessionCount == SessionCountSource(url: "/metrics", metric: "mcp_sessions_active"))
        #expect(scenario.session.endWithDelete)
        let leaking = scenario.applying(scenario.matrix[0])
        #expect(leaking.target.launch == .builtinDemo(arguments: ["--latency", "1ms", "--leak-sessions"]))
        #expect(leaking.session.endWithDelete)
        let undeleted = scenario.applying(scenario.matrix[1])
        #expect(!undeleted.session.endWithDelete)
        #expect(undeleted.target.launch == .builtinDemo(arguments: ["--latency", "1ms"]))
        #expect(scenario.session.strategy.summary == "session per request")
    }

    @Test(
        "session-count and churn-row mistakes are located errors",
        arguments: [
            (
                "target: { builtin: demo, sessionCount: { url: /metrics, metric: m } }\nsteps: [ping]",
                "s.yaml:1: 'sessionCount' is read from an HTTP server"
            ),
            (
                "target: { transport: http, builtin: demo, sessionCount: { url: /metrics } }\nsteps: [ping]",
                "s.yaml:1: target.sessionCount needs 'url' (the metrics page) and 'metric'"
            ),
            (
                "target:\n  transport: http\n  builtin: demo\n  sessionCount: { url: /m, metric: 9lives }\nsteps: [ping]",
                "s.yaml:4: '9lives' is not a Prometheus metric name"
            ),
            (
                "target:\n  transport: http\n  builtin: demo\n  sessionCount: { url: ftp://x, metric: m }\nsteps: [ping]",
                "s.yaml:4: target.sessionCount.url is a path (/metrics) or starts with http://"
            ),
            (
                "target: { transport: http, builtin: demo }\nsession: { delete: sometimes }\nsteps: [ping]",
                "s.yaml:2: session.delete"
            ),
            (
                "target: { transport: http, url: \"http://127.0.0.1:1/mcp\" }\nsteps: [ping]\nmatrix:\n  - { label: a, args: [--x] }",
                "s.yaml:4: a row's 'args' go to a server mcpload starts"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: a, args: [{ secret: x }] }",
                "s.yaml:4: a row's 'args' take no secrets"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: a, delete: 3 }",
                "s.yaml:4: a matrix row's 'delete'"
            ),
        ])
    func churnErrors(yaml: String, expected: String) {
        let message = error(yaml)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "no error")")
    }

    @Test(
        "matrix mistakes are located errors",
        arguments: [
            ("target: { builtin: demo }\nsteps: [ping]\nmatrix: []", "s.yaml:3: matrix must be a list"),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { transport: http }",
                "s.yaml:4: a matrix row needs a 'label'"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: a }\n  - { label: a }",
                "s.yaml:5: matrix labels must be distinct"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: a, transport: http, topology: shared-process }",
                "s.yaml:4: 'topology' applies to stdio rows"
            ),
            (
                "target: { builtin: demo }\nsteps: [ping]\nmatrix:\n  - { label: a, transprot: http }",
                "s.yaml:4: unknown key 'transprot' in a matrix row (did you mean 'transport'?)"
            ),
        ])
    func matrixErrors(yaml: String, expected: String) {
        let message = error(yaml)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "no error")")
    }
}
