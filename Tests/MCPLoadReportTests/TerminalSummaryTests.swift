import Foundation
import MCPLoadCore
import Testing

@testable import MCPLoadReport

@Suite("Terminal summary")
struct TerminalSummaryTests {
    private func fixedResult() -> RunResult {
        var recorder = Recorder(
            virtualClient: 1,
            steps: [
                Step(action: .listTools, label: "list_tools"),
                Step(action: .callTool(name: "echo", arguments: .literal([:])), label: "call echo"),
            ])
        recorder.recordSessionOpened(setup: .milliseconds(20), protocolVersion: "2025-11-25")
        for _ in 0..<8 {
            recorder.record(
                Sample(stepIndex: 0, outcome: .success, latency: .milliseconds(2), bytesOut: 50, bytesIn: 500))
        }
        for index in 0..<4 {
            let outcome: Outcome =
                index == 0 ? .failure(Failure(.jsonrpcError, code: -32603, "error -32603: injected")) : .success
            recorder.record(
                Sample(stepIndex: 1, outcome: outcome, latency: .milliseconds(5), bytesOut: 60, bytesIn: 70))
        }
        recorder.protocolTraffic.serverRequests["ping"] = 2
        return RunResult(
            runID: "20260101-000000-abcd",
            scenario: .init(
                name: "fixed", file: nil, target: "mcpload demo-server --stdio", transport: "stdio",
                virtualClients: 1, iterations: 4, durationSeconds: nil, rampUpSeconds: 0, thinkSeconds: 0,
                protocolVersion: "2025-11-25"),
            status: .completed, statusReason: nil, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 2), recorders: [recorder])
    }

    @Test("one row per request step, with counts, failure classes by code, percentiles and rate")
    func rows() {
        let text = TerminalSummary.render(fixedResult())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "fixed: 1 clients, 4 iterations each, over stdio → mcpload demo-server --stdio")
        let echo = lines.first { $0.hasPrefix("call echo") }?.split(separator: " ", omittingEmptySubsequences: true)
        #expect(echo?[2...7].joined(separator: " ") == "4 3 25.0% 0 jsonrpc_error(-32603×1) 1")
        let list = lines.first { $0.hasPrefix("list_tools") }?.split(separator: " ", omittingEmptySubsequences: true)
        #expect(list?[1...5].joined(separator: " ") == "8 8 0.0% 0 -")
        #expect(list?[6] == "2.00ms")
        #expect(list?.last == "4.0")
        #expect(text.contains("never sent 0, sent and failed 1"))
        #expect(text.contains("server requests answered: ping 2"))
        #expect(text.contains("call echo: [jsonrpc_error] error -32603: injected (×1)"))
    }

    @Test("percentages keep precision for rare failures")
    func percentages() {
        #expect(TerminalSummary.percent(0.25) == "25.0%")
        #expect(TerminalSummary.percent(0.0001) == "0.010%")
        #expect(TerminalSummary.percent(0) == "0.0%")
    }
}
