import ArgumentParser
import Foundation
import MCPLoadCore
import MCPLoadEngine
import MCPLoadReport

/// `mcpload audit TARGET`: opens a few sessions one after another, lists the tools in each, and
/// audits what a model connected to this server would be handed.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a server's tool surface: context cost, poisoning signals, loose schemas, rug pulls.",
        discussion: """
            TARGET is a scenario file (its target is audited), `demo [FLAGS]` (the built-in demo server, \
            e.g. "demo --poison"), an http(s):// URL (Streamable HTTP, or --transport sse), or a stdio \
            command line in one string ("python server.py"). Exit 0 without findings, 1 with findings, \
            2 for bad input, 3 when no session could list the tools.
            """)

    @Argument(help: "What to audit: a scenario file, `demo [FLAGS]`, a URL, or a stdio command line.")
    var target: String

    @Option(help: "Sessions to open, one after another: a definition that changes between them is a rug pull.")
    var sessions = 3

    @Option(help: "stdio, http or sse (default: stdio for commands, http for URLs, the scenario's own for files).")
    var transport: String?

    @Option(help: "Write audit.json into this folder.")
    var out: String?

    @Flag(help: "Print the audit as JSON instead of text.")
    var json = false

    func validate() throws {
        guard (1...100).contains(sessions) else { throw ValidationError("--sessions must be within 1...100") }
        if let transport, TargetSpec.Transport(rawValue: transport) == nil {
            throw ValidationError("--transport: '\(transport)' is not one of stdio, http, sse")
        }
    }

    func run() async throws {
        var scenario = try ScenarioParser(file: "mcpload audit").parse(
            yaml: """
                name: audit
                target: { builtin: demo }
                load: { vus: 1, iterations: \(sessions) }
                session: { strategy: per-iteration }
                steps: [list_tools]
                """)
        scenario.target = try auditedTarget()
        let control = RunControl(iterationsPerClient: sessions, duration: nil)
        let demoExecutable = Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
        var scenarios = [scenario]
        let resolved = try ScenarioLoader.resolveSecrets(of: &scenarios)
        scenario = scenarios[0]
        let plan = RunPlan(
            scenario: scenario, target: RunPlan.resolve(scenario, demoExecutable: demoExecutable), control: control,
            headers: resolved.headers, redactor: resolved.redactor, auth: resolved.auth)
        let result = await LoadRunner.run(plan)
        guard let audit = result.audit, audit.listings > 0 else {
            let why = (result.session.setupFailures.examples + result.totals.failures.examples).first?.message
            FileHandle.standardError.write(
                Data("mcpload audit: no session listed the tools\(why.map { ": \($0)" } ?? "")\n".utf8))
            throw ExitCode(ExitStatus.notStartedOrAborted)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let encoded = try encoder.encode(audit)
        if json {
            print(String(decoding: encoded, as: UTF8.self))
        } else {
            print("\(resolved.redactor.redact(target)): \(audit.listings) of \(sessions) sessions listed their tools")
            print(AuditSummary.render(audit).joined(separator: "\n"))
        }
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw OutputError("\(out)/audit.json", error)
            }
            try RunCommand.write(encoded, to: "\(out)/audit.json")
        }
        if !audit.findings.isEmpty { throw ExitCode(ExitStatus.thresholdFailed) }
    }

    /// TARGET read as a scenario file, the demo, a URL or a command line; --transport applied.
    private func auditedTarget() throws -> TargetSpec {
        let words = CommandLineWords.split(target)
        var spec: TargetSpec
        if target.hasSuffix(".yaml") || target.hasSuffix(".yml") {
            spec = try ScenarioLoader.load(target).target
        } else if words.first == "demo" {
            spec = TargetSpec(launch: .builtinDemo(arguments: Array(words.dropFirst())))
        } else if target.hasPrefix("http://") || target.hasPrefix("https://") {
            spec = TargetSpec(launch: .url(target), transport: .http)
        } else if !words.isEmpty {
            spec = TargetSpec(launch: .command(words))
        } else {
            throw InputError("audit: TARGET is empty; give a scenario file, `demo`, a URL or a command")
        }
        if let transport, let kind = TargetSpec.Transport(rawValue: transport) {
            switch (spec.launch, kind) {
            case (.url, .stdio):
                throw InputError("--transport stdio: the target is a URL; stdio needs a command to start")
            case (.command, .http), (.command, .sse):
                throw InputError("--transport \(kind.rawValue): the target is a stdio command; give a URL instead")
            default: spec.transport = kind
            }
        }
        return spec
    }
}
