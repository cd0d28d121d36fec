import ArgumentParser
import Foundation
import MCPLoadCore
import MCPLoadDemoServer

struct DemoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Run the built-in MCP demo server (tools echo, add, slow, fail, ask_client) with fault knobs.")

    @Flag(help: "Serve MCP over stdin/stdout.")
    var stdio = false

    @Option(help: "Delay added to every request but initialize (e.g. 5ms).")
    var latency: String?

    @Option(help: "Random extra delay, uniform in 0...JITTER.")
    var jitter: String?

    @Option(help: "Fraction of tools/call answered with JSON-RPC error -32603 (0...1), deterministic.")
    var errorRate: Double = 0

    @Flag(help: "Handle one request at a time, like a naive stdio server.")
    var serial = false

    @Option(help: "Answer N requests, then exit(1) on the next one.")
    var crashAfter: Int?

    @Option(help: "Answer every Nth request with a malformed line instead.")
    var garbageEvery: Int?

    @Flag(help: "Write a log line to stderr for every request.")
    var stderrNoise = false

    func validate() throws {
        guard stdio else { throw ValidationError("say which transport to serve: --stdio") }
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be within 0...1") }
        if let crashAfter, crashAfter < 0 { throw ValidationError("--crash-after must be 0 or more") }
        if let garbageEvery, garbageEvery < 1 { throw ValidationError("--garbage-every must be at least 1") }
        for (flag, value) in [("--latency", latency), ("--jitter", jitter)] {
            if let value, DurationText.parse(value) == nil {
                throw ValidationError("\(flag): bad duration '\(value)'; write e.g. 5ms")
            }
        }
    }

    func run() async throws {
        var options = DemoServerOptions()
        options.latency = latency.flatMap(DurationText.parse) ?? .zero
        options.jitter = jitter.flatMap(DurationText.parse) ?? .zero
        options.errorRate = errorRate
        options.serial = serial
        options.crashAfter = crashAfter
        options.garbageEvery = garbageEvery
        options.stderrNoise = stderrNoise
        let status = await DemoServer.runStdio(options)
        if status != 0 { throw ExitCode(status) }
    }
}
