import Foundation
import MCPLoadCore
import Testing

@testable import mcpload

/// The `mcpload` binary as a user runs it: exit codes, messages, files, Ctrl-C.
extension ProcessTests {
    @Suite("mcpload command line")
    struct CommandLineTests {

        @Test("validate prints file:line: message and exits 2 for a bad scenario, 0 for a good one")
        func validate() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let bad = directory + "/bad.yaml"
            try CommandLineSupport.write(
                "target: { builtin: demo }\nsteps:\n  - ping\n  - cal_tool: { name: echo }\n", to: bad)
            let rejected = try await CommandLineSupport.mcpload(["validate", bad])
            #expect(rejected.status == 2)
            #expect(rejected.errors.hasPrefix("\(bad):4: unknown step 'cal_tool'"))
            let good = directory + "/good.yaml"
            try CommandLineSupport.write("target: { builtin: demo }\nsteps: [ping]\n", to: good)
            #expect(try await CommandLineSupport.mcpload(["validate", good]).status == 0)
        }

        @Test(
            "closed-model HTTP runs put their tasks on the event loops; stdio, open-model runs and MCPLOAD_EXECUTOR=dispatch do not"
        )
        func executorChoice() throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo, transport: http }\nsteps: [ping]\n", to: directory + "/closed.yaml")
            try CommandLineSupport.write(
                "target: { builtin: demo, transport: http }\nload: { model: open, rate: 10/s, duration: 1s }\nsteps: [ping]\n",
                to: directory + "/open.yaml")
            try CommandLineSupport.write("target: { builtin: demo }\nsteps: [ping]\n", to: directory + "/stdio.yaml")
            let closed = try RunCommand.parse([directory + "/closed.yaml"])
            let open = try RunCommand.parse([directory + "/open.yaml"])
            let missing = try RunCommand.parse([directory + "/missing.yaml"])
            let stdio = try RunCommand.parse([directory + "/stdio.yaml"])
            let mixed = try RunCommand.parse([directory + "/closed.yaml", "--transport", "stdio,http"])
            let overHTTP = try RunCommand.parse([directory + "/stdio.yaml", "--transport", "http"])
            #expect(closed.runsOnEventLoops([:]))
            #expect(overHTTP.runsOnEventLoops([:]))
            #expect(!closed.runsOnEventLoops(["MCPLOAD_EXECUTOR": "dispatch"]))
            #expect(!open.runsOnEventLoops([:]))
            #expect(!missing.runsOnEventLoops([:]))
            #expect(!stdio.runsOnEventLoops([:]))
            #expect(!mixed.runsOnEventLoops([:]))
        }

        @Test(
            "--help of every command prints its usage and exits 0; --version prints the version",
            arguments: [
                ["--help"], ["run", "--help"], ["merge", "--help"], ["kubernetes", "--help"],
                ["demo-server", "--help"],
                ["help", "run"], ["run", "-h"],
            ])
        func help(arguments: [String]) async throws {
            let finished = try await CommandLineSupport.mcpload(arguments)
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(
                finished.output.contains("USAGE:") && finished.errors.isEmpty, "\(finished.output)\(finished.errors)")
            let version = try await CommandLineSupport.mcpload(["--version"])
            #expect(version.status == 0 && version.output == MCPLoadVersion.current + "\n")
        }

        @Test(
            "bad flags exit 2 before any load",
            arguments: [
                ["--vus", "0"], ["--vus", "1000000"], ["--out", "/proc/no-such/out"], ["--duration", "ten"],
                ["--iterations", "-1"],
                ["--no-such-flag"],
                ["--target-command", " "],
                ["--duration", "0s"], ["--duration", "1000000h"], ["--vus", "9223372036854775807"],
                ["--transport", "http", "--header", "X-Token: abc\r\nInjected: yes"],
            ])
        func badFlags(flags: [String]) async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write("target: { builtin: demo }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(["run", "s.yaml"] + flags, in: directory)
            #expect(finished.status == 2, "\(finished.errors)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/results"))
        }

        @Test("a malformed --header is refused without echoing its value, which is usually a credential")
        func headerNotEchoed() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write("target: { builtin: demo }\nsteps: [ping]\n", to: directory + "/s.yaml")
            for header in ["Bearer sk-live-9z8y7x6w5v4u3t2s1r", "X-Token: sk-live-9z8y7x6w5v4u3t2s1r\nX: y"] {
                let finished = try await CommandLineSupport.mcpload(
                    ["run", "s.yaml", "--transport", "http", "--header", header], in: directory)
                #expect(finished.status == 2)
                #expect(!(finished.output + finished.errors).contains("9z8y7x6w"), "\(finished.errors)")
            }
        }

        @Test("a result that cannot be written is an error of its own (exit 4), never a silent success")
        func unwritableResults() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo }\nload: { iterations: 1 }\nsteps: [ping]\n", to: directory + "/s.yaml")
            // result.json cannot be written where a folder of that name stands.
            try FileManager.default.createDirectory(
                atPath: directory + "/out/result.json", withIntermediateDirectories: true)
            let single = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out"], in: directory)
            #expect(single.status == 4, "\(single.errors)")
            #expect(single.errors.contains("could not write the results in out"))
            // A matrix's comparison, likewise.
            try FileManager.default.createDirectory(
                atPath: directory + "/matrix/comparison.txt", withIntermediateDirectories: true)
            let matrix = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "matrix", "--transport", "stdio,http"], in: directory)
            #expect(matrix.status == 4, "\(matrix.errors)")
            #expect(matrix.errors.contains("comparison.txt"))
        }

        @Test("run writes result.json where --out says, with flags overriding the scenario")
        func runWritesResult() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo }\nload: { vus: 1, iterations: 1 }\nsteps: [list_tools, ping]\n",
                to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--vus", "3", "--iterations", "4", "--out", "out"], in: directory)
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(finished.output.contains("list_tools"))
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json"))
            let result = try RunResult.decode(from: data)
            #expect(result.steps.map(\.attempts) == [12, 12])
            #expect(result.scenario.virtualClients == 3)
        }

        @Test("--transport stdio,http,sse runs the scenario once per transport and prints the comparison")
        func transportComparison() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo }\nload: { vus: 3, iterations: 2 }\nsteps: [list_tools, ping]\n",
                to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--transport", "stdio,http,sse", "--out", "out"], in: directory)
            #expect(finished.status == 0, "\(finished.errors)")
            for transport in ["stdio", "http", "sse"] {
                let result = try RunResult.decode(
                    from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/out/\(transport)/result.json")))
                #expect(result.scenario.transport == transport)
                #expect(result.steps.map(\.successes) == [6, 6])
            }
            let comparison = try String(contentsOfFile: directory + "/out/comparison.txt", encoding: .utf8)
            let rows = comparison.split(separator: "\n").filter { $0.contains("completed") }
            #expect(rows.map { $0.split(separator: " ").first.map(String.init) } == ["stdio", "http", "sse"])
            #expect(finished.output.contains("scenario, 3 ways, 3 clients each"))
        }

        @Test("a transport the target cannot speak is bad input")
        func impossibleTransport() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write("target: { command: [cat] }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--transport", "stdio,http"], in: directory)
            #expect(finished.status == 2)
            #expect(finished.errors.contains("--target-url"))
        }

        @Test(
            "a bearer token from the environment authorizes every request and appears in no output, even when the server echoes it",
            arguments: [("http", true), ("sse", true), ("http", false)])
        func bearerToken(transport: String, accepted: Bool) async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let token = "tok-\(UUID().uuidString)"
            try CommandLineSupport.write(
                """
                target:
                  builtin: demo
                  transport: \(transport)
                  args: [--require-bearer-env, DEMO_TOKEN]
                  env: { DEMO_TOKEN: "\(accepted ? token : "something-else")" }
                  headers: { Authorization: "Bearer ${MCP_TOKEN}" }
                load: { vus: 2, iterations: 2 }
                steps: [list_tools, ping]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "out", "-v"], in: directory, environment: ["MCP_TOKEN": token])
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
            if accepted {
                #expect(finished.status == 0, "\(finished.errors)")
                #expect(result.totals.failures.total == 0)
            } else {
                // Every session is refused with 401, whose body echoes the credential it got.
                #expect(result.session.setupFailures.byCode[.auth] == ["401": 4])
                #expect(result.session.setupFailures.examples.first?.message.contains("[redacted]") == true)
            }
            let files = try FileManager.default.subpathsOfDirectory(atPath: directory + "/out").map {
                (try? String(contentsOfFile: "\(directory)/out/\($0)", encoding: .utf8)) ?? ""
            }
            for output in [finished.output, finished.errors] + files {
                #expect(!output.contains(token))
                #expect(!output.contains(String(token.dropFirst(4))))
            }
        }

        @Test("a header that names an unset environment variable is bad input, named, before any load")
        func missingHeaderVariable() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo, transport: http }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--header", "Authorization: Bearer ${MCPLOAD_SURELY_UNSET_1234}"], in: directory)
            #expect(finished.status == 2)
            #expect(finished.errors.contains("${MCPLOAD_SURELY_UNSET_1234}"))
        }

        @Test("a server that cannot start exits 3, with results still written")
        func cannotStart() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write("target: { builtin: demo }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--target-command", "/nonexistent/server --flag", "--out", "out"],
                in: directory)
            #expect(finished.status == 3)
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
            #expect(result.status == .notStarted)
        }

        @Test("first Ctrl-C drains and writes results, exit 3; no server survives")
        func firstInterrupt() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            // Servers run in their own folder so the test can find every one of them in /proc.
            let servers = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                target: { builtin: demo, cwd: "\(servers)" }
                load: { vus: 4, duration: 5m }
                steps:
                  - call_tool: { name: slow, arguments: { ms: 20 } }
                """, to: directory + "/s.yaml")
            let process = try CommandLineSupport.start(["run", "s.yaml", "--out", "out"], in: directory)
            try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).count == 4 }
            kill(process.processIdentifier, SIGINT)
            await CommandLineSupport.waitForExit(process)
            #expect(process.terminationStatus == 3)
            #expect(TestSupport.processes(in: servers).isEmpty)
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
            #expect(result.status == .aborted)
            // Every client had its server up, so every handshake completed before the drain ended.
            #expect(result.session.opened == 4)
        }

        @Test("a second Ctrl-C exits at once (130) and kills every server, with what it spawned")
        func secondInterrupt() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let servers = try CommandLineSupport.temporaryDirectory()
            // A wrapper that outlives its demo server: the drain cannot finish within the grace time,
            // and the wrapper's own child (sleep) is a grandchild of mcpload.
            try CommandLineSupport.write(
                """
                target:
                  command: [sh, -c, '"$0" demo-server --stdio; sleep 600', "\(TestSupport.mcploadExecutable)"]
                  cwd: "\(servers)"
                load: { vus: 3, duration: 5m }
                session: { shutdownGrace: 5m }
                steps: [ping]
                """, to: directory + "/s.yaml")
            let process = try CommandLineSupport.start(["run", "s.yaml", "--out", "out"], in: directory)
            try await CommandLineSupport.waitUntil { demoServers(in: servers) == 3 }
            kill(process.processIdentifier, SIGINT)
            // The drain has begun once the demo servers saw stdin close and exited; the wrappers wait.
            try await CommandLineSupport.waitUntil { demoServers(in: servers) == 0 }
            #expect(TestSupport.processes(in: servers).count >= 3)
            kill(process.processIdentifier, SIGINT)
            await CommandLineSupport.waitForExit(process)
            #expect(process.terminationStatus == 130)
            try await CommandLineSupport.waitUntil { TestSupport.processes(in: servers).isEmpty }
            #expect(TestSupport.processes(in: servers).isEmpty)
        }

        private func demoServers(in directory: String) -> Int {
            TestSupport.processes(in: directory).filter { pid in
                let arguments = TestSupport.procFile("/proc/\(pid)/cmdline").split(separator: "\0")
                // argv[1], so the wrapping shell (whose script mentions demo-server) is not counted.
                return arguments.count > 1 && arguments[1] == "demo-server"
            }.count
        }

        @Test(
            "thresholds gate the exit code: 1 when one fails, 0 when all hold; each is listed with its measured value")
        func thresholdGate() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                target: { builtin: demo, args: [--error-rate, "0.5"] }
                load: { vus: 2, iterations: 5 }
                steps: [list_tools, { call_tool: { name: echo, arguments: { text: hi } } }]
                thresholds: ["failure_rate(list_tools) == 0%", "errors.jsonrpc_error.-32603(call echo) == 4"]
                """, to: directory + "/s.yaml")
            let passing = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "pass"], in: directory)
            #expect(passing.status == 0, "\(passing.output)")
            #expect(passing.output.contains("thresholds: all 2 passed"))

            let failing = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "fail", "--threshold", "failure_rate < 10%"], in: directory)
            #expect(failing.status == 1, "\(failing.output)")
            #expect(failing.output.contains("thresholds: 1 of 3 FAILED"))
            // Each client's own server fails exactly ⌊5 × 0.5⌋ = 2 of its 5 calls: 4 of 20 requests.
            #expect(failing.output.contains("FAIL  failure_rate < 10%  (measured 20.00%)"))
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/fail/result.json")))
            #expect(result.thresholds.map(\.passed) == [true, true, false])
            #expect(result.thresholds.last?.measured == 0.2)
        }

        @Test(
            "every run writes junit.xml that validates against the JUnit schema, and report.html that report --html renders again",
            .enabled(if: TestSupport.pythonVenv != nil, "run scripts/test (it installs xmlschema and junit-10.xsd)"))
        func reportFiles() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                name: "junit <&> \\"quoted\\""
                target: { builtin: demo, args: [--error-rate, "0.5"] }
                load: { vus: 2, iterations: 4 }
                steps: [{ call_tool: { name: echo, arguments: { text: hi }, expect: { contains: "<never> & \\"so\\"" } } }]
                thresholds: ["failure_rate < 10%", "p99(call echo) < 60s"]
                """, to: directory + "/s.yaml")
            #expect(
                try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out", "-q"], in: directory).status == 1
            )
            let venv = try #require(TestSupport.pythonVenv)
            let schema = venv + "/share/junit-10.xsd"
            let golden = TestSupport.repositoryRoot.appendingPathComponent(
                "Tests/MCPLoadReportTests/Golden/junit.xml"
            ).path
            for file in [directory + "/out/junit.xml", golden] {
                let validation = try await CommandLineSupport.command(
                    venv + "/bin/python",
                    [
                        "-c", "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])", schema,
                        file,
                    ])
                #expect(validation.status == 0, "\(file) does not validate: \(validation.errors)")
            }
            let junit = try String(contentsOfFile: directory + "/out/junit.xml", encoding: .utf8)
            // Both thresholds (no success leaves p99 without data) and the step's checks.
            #expect(junit.contains(#"<testsuites name="mcpload" tests="3" failures="3""#))
            #expect(junit.contains(#"<testsuite name="junit &lt;&amp;&gt; &quot;quoted&quot;""#))

            // The schema check is not vacuous: a file that breaks it is refused.
            try CommandLineSupport.write(
                "<testsuites><testsuite name=\"x\"/></testsuites>", to: directory + "/broken.xml")
            let refused = try await CommandLineSupport.command(
                venv + "/bin/python",
                [
                    "-c", "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])", schema,
                    directory + "/broken.xml",
                ])
            #expect(refused.status != 0)

            let page = try String(contentsOfFile: directory + "/out/report.html", encoding: .utf8)
            #expect(page.contains(#"<p class="verdict fail">Failed: 2 of 2 thresholds broke"#))
            #expect(page.contains("<title>mcpload: junit &lt;&amp;&gt; &quot;quoted&quot;</title>"))
            let rendered = try await CommandLineSupport.mcpload(["report", "out/result.json", "--html"], in: directory)
            #expect(rendered.status == 0)
            #expect(rendered.output == page)
        }

        @Test("audit TARGET: exit 0 for the clean demo, 1 with findings (text, --json, audit.json), 2 for bad input")
        func auditCommand() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let clean = try await CommandLineSupport.mcpload(["audit", "demo", "--sessions", "2"], in: directory)
            #expect(clean.status == 0, "\(clean.errors)")
            #expect(clean.output.contains("demo: 2 of 2 sessions listed their tools"))
            #expect(clean.output.contains("tool surface: 5 tools"))
            #expect(clean.output.contains("no findings"))

            let poisoned = try await CommandLineSupport.mcpload(
                ["audit", "demo --poison", "--out", "out"], in: directory)
            #expect(poisoned.status == 1)
            #expect(poisoned.output.contains("12 findings: poisoning 6, schema 5, annotations 1"))
            #expect(poisoned.output.contains("get_weather  instruction-tag"))
            // The hidden characters are named, never printed.
            #expect(!poisoned.output.contains("\u{200B}") && !poisoned.output.contains("\u{202E}"))
            let saved = try JSONDecoder().decode(
                ToolSurfaceAudit.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/audit.json")))
            #expect(saved.findings.count == 12)

            let json = try await CommandLineSupport.mcpload(
                ["audit", "demo --poison", "--json", "--sessions", "1"], in: directory)
            #expect(json.status == 1)
            let printed = try JSONDecoder().decode(ToolSurfaceAudit.self, from: Data(json.output.utf8))
            #expect(printed.listings == 1 && printed.findings == saved.findings)

            #expect(
                try await CommandLineSupport.mcpload(["audit", "demo", "--sessions", "0"], in: directory).status == 2)
            let wrongTransport = try await CommandLineSupport.mcpload(
                ["audit", "http://127.0.0.1:1/mcp", "--transport", "stdio"], in: directory)
            #expect(wrongTransport.status == 2)
            #expect(wrongTransport.errors.contains("the target is a URL"))
            let nothing = try await CommandLineSupport.mcpload(["audit", "/nonexistent/server"], in: directory)
            #expect(nothing.status == 3)
            #expect(nothing.errors.contains("no session listed the tools"))
        }

        @Test("a run that would run out of file descriptors is refused before any load, counted per transport")
        func descriptorBudget() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            // A million clients is the most a run may have; with a listening stream each, an HTTP
            // run needs two million descriptors, more than Linux allows any process (nr_open).
            try CommandLineSupport.write(
                "target: { builtin: demo }\nsession: { listen: true }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let stdio = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--vus", "1000000", "--out", "out"], in: directory)
            #expect(stdio.status == 2)
            #expect(stdio.errors.contains("1000000 clients need about 6000064 open files (a server process each)"))
            let http = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--vus", "1000000", "--transport", "http", "--out", "out"], in: directory)
            #expect(http.status == 2)
            #expect(http.errors.contains("need about 2000064 open files (a connection each, over http)"))
            let beyond = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--vus", "9223372036854775807", "--out", "out"], in: directory)
            #expect(beyond.status == 2)
            #expect(beyond.errors.contains("--vus must be at most 1000000"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/out/result.json"))
        }

        @Test("compare BASE NEW: every step before → after, and --gate exits 1 when NEW is worse than allowed")
        func compareWithGates() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo }\nload: { vus: 2, iterations: 20 }\nsteps: [ping]\n",
                to: directory + "/fast.yaml")
            try CommandLineSupport.write(
                "target: { builtin: demo, args: [--latency, 30ms] }\nload: { vus: 2, iterations: 5 }\nsteps: [ping]\n",
                to: directory + "/slow.yaml")
            #expect(
                try await CommandLineSupport.mcpload(["run", "fast.yaml", "--out", "fast"], in: directory).status == 0)
            #expect(
                try await CommandLineSupport.mcpload(["run", "slow.yaml", "--out", "slow"], in: directory).status == 0)

            let held = try await CommandLineSupport.mcpload(
                ["compare", "fast/result.json", "slow/result.json", "--gate", "failure_rate +0.5pp"], in: directory)
            #expect(held.status == 0, "\(held.errors)")
            #expect(held.output.contains("gates: all 1 held"))
            #expect(held.output.contains("ping "))

            let broken = try await CommandLineSupport.mcpload(
                ["compare", "fast/result.json", "slow/result.json", "--gate", "p50(ping) +50%"], in: directory)
            #expect(broken.status == 1)
            #expect(broken.output.contains("gates: 1 of 1 BROKEN"))
            #expect(broken.output.contains("FAIL  p50(ping) +50%"))

            let sideBySide = try await CommandLineSupport.mcpload(
                ["compare", "fast/result.json", "slow/result.json", "fast/result.json"], in: directory)
            #expect(sideBySide.status == 0)
            #expect(sideBySide.output.contains("3 ways"))
        }

        @Test("compare and report reject what is not a result, and read results written by earlier versions of v1")
        func compareInputs() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write("{}", to: directory + "/empty.json")
            let early = TestSupport.fixtures + "/early-v1-result.json"
            let rejected = try await CommandLineSupport.mcpload(["compare", "empty.json", early], in: directory)
            #expect(rejected.status == 2)
            #expect(rejected.errors.contains("empty.json: not an mcpload result.json (missing 'schema')"))
            #expect(try await CommandLineSupport.mcpload(["compare", early], in: directory).status == 2)
            let report = try await CommandLineSupport.mcpload(["report", early], in: directory)
            #expect(report.status == 0, "\(report.errors)")
            #expect(report.output.contains("quickstart: 20 clients"))
            let gated = try await CommandLineSupport.mcpload(
                ["compare", early, early, "--gate", "p99(list_tools) +0%"], in: directory)
            #expect(gated.status == 0, "\(gated.errors)")
        }

        @Test("a ceiling search steps the rate up until a step breaks a threshold, and reports the highest that held")
        func ceilingSearch() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            // One server that answers one request at a time in 10 ms: about 100 calls/s at most.
            try CommandLineSupport.write(
                """
                target: { builtin: demo, args: [--serial, --latency, 10ms], topology: shared-process }
                load: { model: ceiling, start: 40/s, step: 80/s, hold: 1s, max: 200/s, maxVUs: 20, until: ["p99 < 100ms", "dropped == 0"] }
                steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out"], in: directory)
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(finished.output.contains("ceiling: 40.0/s held; stopped: 120.0/s broke a threshold"))
            let data = try #require(FileManager.default.contents(atPath: directory + "/out/ceiling.json"))
            let outcome = try JSONDecoder().decode(CeilingOutcome.self, from: data)
            #expect(outcome.steps.map(\.targetRate) == [40, 120])
            #expect(outcome.steps.map(\.held) == [true, false])
            #expect(outcome.highestHeldRate == 40)
            #expect(FileManager.default.fileExists(atPath: directory + "/out/step-2/result.json"))
        }

        @Test("a run prints progress lines while it goes (plain lines when not a terminal), none with --quiet")
        func progress() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                "target: { builtin: demo }\nload: { vus: 2, duration: 1s }\nsteps: [ping]\n", to: directory + "/s.yaml")
            let environment = ["MCPLOAD_PROGRESS_INTERVAL": "200ms"]
            let shown = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "a"], in: directory, environment: environment)
            #expect(shown.status == 0)
            func progressLines(_ output: String) -> [Substring] {
                output.split(separator: "\n").filter { $0.contains(" clients ") && $0.contains(" req/s ") }
            }
            let lines = progressLines(shown.output)
            #expect(lines.count >= 2, "\(shown.output)")
            #expect(lines.first?.hasPrefix("  0.") == true)
            let quiet = try await CommandLineSupport.mcpload(
                ["run", "s.yaml", "--out", "b", "-q"], in: directory, environment: environment)
            #expect(quiet.status == 0)
            #expect(progressLines(quiet.output).isEmpty, "\(quiet.output)")
        }

        @Test("an abortOnFail threshold stops the run as soon as it breaks: status aborted, why, and exit 1")
        func abortOnFail() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                target: { builtin: demo, args: [--error-rate, "0.5"] }
                load: { vus: 2, duration: 60s }
                steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
                thresholds: [{ threshold: "failure_rate < 10%", abortOnFail: true }]
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out", "-q"], in: directory)
            #expect(finished.status == 1, "\(finished.output)")
            let result = try RunResult.decode(
                from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/result.json")))
            #expect(result.status == .aborted)
            #expect(
                result.abortedByThreshold?.hasPrefix("threshold 'failure_rate < 10%' failed during the run") == true)
            // Generous: stopped near its first check, far before its 60 s.
            #expect(result.durationSeconds < 30)
            #expect(result.thresholds.first?.passed == false)
        }

        @Test(
            "no planted or leaked value appears raw in any output: stdout, result.json, summary.md, junit.xml, report.html"
        )
        func leakRedaction() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            try CommandLineSupport.write(
                """
                target: { builtin: demo, args: [--leak] }
                load: { vus: 2, iterations: 2 }
                leaks: { detectors: all }
                steps:
                  # The check fails on purpose: its message quotes the canary it expected.
                  - call_tool: { name: echo, arguments: { text: "x" }, expect: { contains: "{{canary}}" } }
                """, to: directory + "/s.yaml")
            let finished = try await CommandLineSupport.mcpload(["run", "s.yaml", "--out", "out", "-q"], in: directory)
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(finished.output.contains("leaks (sensitive values on the wire"))
            let outputs =
                try ["result.json", "summary.md", "junit.xml", "report.html"].map {
                    try String(contentsOfFile: directory + "/out/" + $0, encoding: .utf8)
                } + [finished.output, finished.errors]
            for text in outputs {
                #expect(!text.contains("@example.com"))
                #expect(!text.contains("sk-demo"))
                #expect(text.range(of: #"mcpl-canary-[0-9a-f]{16}"#, options: .regularExpression) == nil)
            }
            #expect(outputs[0].contains("check_failed"))
        }

        @Test("a matrix scenario runs the rows --rows names, one folder each, and compares them in one table")
        func matrixRows() async throws {
            let directory = try CommandLineSupport.temporaryDirectory()
            let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/stdio-20-connections.yaml").path
            let finished = try await CommandLineSupport.mcpload([
                "run", scenario, "--vus", "5", "--rows", "fixed proxy,Streamable HTTP", "--out", directory,
            ])
            #expect(finished.status == 0, "\(finished.errors)")
            let table = try #require(finished.output.components(separatedBy: " 2 ways, 5 clients each").last)
            #expect(table.contains("\nfixed proxy ") && table.contains("\nStreamable HTTP "))
            #expect(table.contains("ids rewritten per request"))
            #expect(!finished.output.contains("naive proxy"))
            let comparison = try String(contentsOfFile: directory + "/comparison.txt", encoding: .utf8)
            #expect(comparison.contains("fixed proxy"))
            let data = try #require(FileManager.default.contents(atPath: directory + "/fixed-proxy/result.json"))
            let result = try RunResult.decode(from: data)
            #expect(result.scenario.variant == "fixed proxy")
            #expect(result.scenario.topology == "shared process (ids rewrite, initialize intercept)")
            #expect(result.proxy?.initializeForwarded == 1)
            #expect(result.totals.failures.total == 0)
            #expect(FileManager.default.fileExists(atPath: directory + "/streamable-http/result.json"))
        }

        @Test(
            "a matrix row that cannot run, or an unknown row, is bad input naming the row",
            arguments: [
                (["--rows", "no such row"], "--rows: no matrix row 'no such row'; the rows are: naive proxy,"),
                (["--target-command", "python3 server.py"], "matrix row 'Streamable HTTP': --transport http"),
                (
                    ["--target-url", "http://127.0.0.1:9/mcp", "--rows", "naive proxy"],
                    "matrix row 'naive proxy': --transport stdio"
                ),
            ])
        func matrixInputErrors(flags: [String], message: String) async throws {
            let scenario = TestSupport.repositoryRoot.appendingPathComponent("scenarios/stdio-20-connections.yaml").path
            let finished = try await CommandLineSupport.mcpload(["run", scenario] + flags)
            #expect(finished.status == 2)
            #expect(finished.errors.contains(message), "\(finished.errors)")
        }

        /// Waits for a state of other processes that no event announces; bounded, so a broken
        /// build fails the test instead of hanging it.
    }
}

@Suite("Command-line words")
struct CommandLineWordsTests {
    @Test("splits like a shell for simple cases: spaces, quotes, escapes")
    func split() {
        #expect(CommandLineWords.split("python server.py --flag") == ["python", "server.py", "--flag"])
        #expect(CommandLineWords.split(#"node "my server.js" 'a b' c\ d"#) == ["node", "my server.js", "a b", "c d"])
        #expect(CommandLineWords.split(#"x "" y"#) == ["x", "", "y"])
        #expect(CommandLineWords.split("   ").isEmpty)
    }
}
