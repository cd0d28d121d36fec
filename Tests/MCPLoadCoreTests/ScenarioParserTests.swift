import Testing

@testable import MCPLoadCore

@Suite("Scenario files")
struct ScenarioParserTests {
    private func parse(_ yaml: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser(file: "s.yaml").parse(yaml: yaml)
    }

    private func error(_ yaml: String) -> ScenarioError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test("a full scenario parses into targets, load, session and steps")
    func fullScenario() throws {
        let scenario = try parse(
            """
            name: demo
            target: { builtin: demo, args: [--latency, 5ms] }
            load: { model: closed, vus: 20, duration: 10s, ramp: 2s, think: 50ms }
            session: { strategy: per-client, requestTimeout: 3s, maxMessageSize: 1MiB }
            steps:
              - initialize: { protocolVersion: "2025-06-18" }
              - list_tools
              - call_tool:
                  name: add
                  arguments: { a: 1, b: "2", c: "{{vu}}" }
                  expect: { isError: false, contains: "3", equals: { structuredContent.sum: 3 } }
                  capture: { total: structuredContent.sum }
              - think: 20ms
              - get_prompt: { name: greet, arguments: { name: "n{{total}}" }, label: greeting }
            """)
        #expect(scenario.name == "demo")
        #expect(scenario.target.launch == .builtinDemo(arguments: ["--latency", "5ms"]))
        #expect(
            scenario.load
                == LoadSettings(
                    virtualClients: 20, iterations: nil, duration: .seconds(10), rampUp: .seconds(2),
                    thinkTime: .milliseconds(50)))
        #expect(scenario.session.requestTimeout == .seconds(3))
        #expect(scenario.session.maxMessageBytes == 1 << 20)
        #expect(scenario.steps.map(\.label) == ["initialize", "list_tools", "call add", "think", "greeting"])
        guard case .callTool(_, let arguments) = scenario.steps[2].action else {
            Issue.record("call_tool expected")
            return
        }
        let rendered = arguments.render(in: TemplateContext(virtualClient: 7, iteration: 1))
        #expect(rendered == ["a": 1, "b": "2", "c": 7])
        #expect(scenario.steps[2].captures.map(\.variable) == ["total"])
        #expect(scenario.steps[4].line == 14)
    }

    @Test(
        "bad scenarios are rejected with the line of the problem",
        arguments: [
            ("target: { builtin: demo }\nsteps: [list_tools]\nloda: {}\n", 3, "unknown key 'loda'"),
            (
                "target: { builtin: demo }\nload:\n  vus: many\nsteps: [list_tools]\n", 3,
                "load.vus must be a whole number"
            ),
            ("target: { builtin: demo }\nsteps:\n  - list_tool\n", 3, "unknown step 'list_tool'"),
            ("target: { builtin: demo }\nload: { duration: 10 }\nsteps: [ping]\n", 2, "bad duration"),
            (
                "target: { builtin: demo }\nsteps:\n  - ping\n  - call_tool: { name: echo, arguments: { text: '{{nope}}' } }\n",
                4, "unknown template variable '{{nope}}'"
            ),
            ("target: { builtin: demo }\nsteps:\n  - call_tool: { arguments: {} }\n", 3, "needs 'name'"),
            ("target: { builtin: demo }\nload: { vus: 0 }\nsteps: [ping]\n", 2, "at least 1"),
            ("target: { builtin: demo }\nsteps: [ping]\nloads: { vus: 2 }\n", 3, "(did you mean 'load'?)"),
            ("steps: [ping]\n", 1, "missing 'target'"),
            (
                "target: { builtin: demo }\nsteps: [ping]\nleaks:\n  custom:\n    order: \"(unclosed\"\n", 5,
                "leaks.custom.order: not a valid regular expression"
            ),
            ("target: { builtin: demo }\nsteps: [ping]\nleaks:\n  custom: { email: \"x+\" }\n", 4, "built-in detector"),
            (
                "target: { builtin: demo }\nsteps: [ping]\nleaks:\n  custom: { \"a.b\": \"x+\" }\n", 4,
                "not a usable name"
            ),
            ("target: { builtin: demo }\nsteps: [ping]\nleaks:\n  custom: { x: \"y*\" }\n", 4, "matches empty text"),
            (
                "target: { builtin: demo }\nsteps: [ping]\nleaks: { custom: { order: \"ORD-[0-9]+\" } }\nthresholds: [\"leaks.orders.exposed == 0\"]\n",
                4, "unknown leak detector 'orders'"
            ),
            ("target: { builtin: demo\nsteps: [ping]\n", 2, "not valid YAML"),
            (
                "target: { builtin: demo }\nsteps:\n  - call_tool: { name: echo, expect: { isError: maybe } }\n", 3,
                "true or false"
            ),
            ("target: { url: \"http://x/mcp\" }\nsteps: [ping]\n", 1, "'url' needs 'transport: http'"),
            ("target: { transport: http, command: [srv] }\nsteps: [ping]\n", 1, "needs the 'url'"),
            ("target: { transport: carrier-pigeon, builtin: demo }\nsteps: [ping]\n", 1, "not supported"),
            ("target: { transport: http, url: \"ftp://x\" }\nsteps: [ping]\n", 1, "must start with http://"),
            ("target: { builtin: demo, headers: { A: b } }\nsteps: [ping]\n", 1, "needs 'transport: http'"),
            ("target: { builtin: demo, transport: http, headers: { A: \"${x\" } }\nsteps: [ping]\n", 1, "unterminated"),
            ("target: { builtin: demo }\nsession: { strategy: per-day }\nsteps: [ping]\n", 2, "not one of"),
            ("target: { builtin: demo }\nsession: { strategy: { pool: 0 } }\nsteps: [ping]\n", 2, "at least 1"),
        ])
    func rejected(yaml: String, line: Int, message: String) {
        let found = error(yaml)
        #expect(found?.line == line, "\(found?.description ?? "no error")")
        #expect(found?.message.contains(message) == true, "\(found?.description ?? "no error")")
        #expect(found?.description.hasPrefix("s.yaml:\(line): ") == true)
    }

    @Test("HTTP targets: a URL, the demo server over HTTP, or a command that serves at a URL")
    func httpTargets() throws {
        let url = try parse("target: { transport: http, url: \"http://127.0.0.1:8000/mcp\" }\nsteps: [ping]\n")
        #expect(url.target == TargetSpec(launch: .url("http://127.0.0.1:8000/mcp"), transport: .http))
        let demo = try parse("target: { transport: http, builtin: demo, args: [--json-response] }\nsteps: [ping]\n")
        #expect(demo.target.launch == .builtinDemo(arguments: ["--json-response"]))
        #expect(demo.target.transport == .http)
        let command = try parse(
            "target: { transport: http, command: [python, s.py], args: [--http, \"8001\"], url: \"http://127.0.0.1:8001/mcp\" }\nsteps: [ping]\n"
        )
        #expect(
            command.target.launch
                == .httpCommand(["python", "s.py", "--http", "8001"], url: "http://127.0.0.1:8001/mcp"))
    }

    @Test("an unknown key comes with a suggestion and the list of valid keys")
    func suggestion() {
        let found = error("target: { builtin: demo }\nload: { vsu: 3 }\nsteps: [ping]\n")
        #expect(found?.message.contains("did you mean 'vus'?") == true)
    }

    @Test("captured variables are usable after the step that captures them, not before")
    func captureOrder() {
        let before = error(
            """
            target: { builtin: demo }
            steps:
              - call_tool: { name: echo, arguments: { text: "{{id}}" } }
              - call_tool: { name: add, arguments: { a: 1, b: 2 }, capture: { id: structuredContent.sum } }
            """)
        #expect(before?.line == 3)
    }
}
