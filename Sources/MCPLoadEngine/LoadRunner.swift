import Foundation
import MCPLoadCore

/// Runs a plan end to end and turns the clients' recorders into a ``RunResult``.
public enum LoadRunner {
    public static func run(_ plan: RunPlan, runID: String = makeRunID(), scenarioFile: String? = nil) async -> RunResult
    {
        let startedAt = Date()
        let recorders = await Driver.run(plan)
        let finishedAt = Date()
        let opened = recorders.reduce(0) { $0 + $1.session.opened }
        let status: RunResult.Status
        let reason: String?
        if opened == 0 {
            status = .notStarted
            let firstFailure = recorders.lazy.compactMap { $0.session.setupFailures.examples.first }.first
            reason = "no session could be opened" + (firstFailure.map { ": \($0.message)" } ?? "")
        } else if plan.control.isDraining {
            status = .aborted
            reason = "interrupted: in-flight iterations were drained, no new ones started"
        } else {
            status = .completed
            reason = nil
        }
        return RunResult(
            runID: runID,
            scenario: scenarioInfo(plan, file: scenarioFile),
            status: status,
            statusReason: reason,
            startedAt: startedAt,
            finishedAt: finishedAt,
            recorders: recorders)
    }

    /// `20261125-131502-4f2a`: sortable by time, unique enough for one results folder.
    public static func makeRunID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(formatter.string(from: now))-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }

    static func scenarioInfo(_ plan: RunPlan, file: String?) -> RunResult.ScenarioInfo {
        let scenario = plan.scenario
        let target: String
        switch scenario.target.launch {
        case .builtinDemo(let arguments):
            target = (["mcpload", "demo-server", "--stdio"] + arguments).joined(separator: " ")
        case .command(let words): target = words.joined(separator: " ")
        }
        return RunResult.ScenarioInfo(
            name: scenario.name,
            file: file,
            target: target,
            transport: "stdio",
            virtualClients: scenario.load.virtualClients,
            iterations: scenario.load.iterations,
            durationSeconds: scenario.load.duration?.seconds,
            rampUpSeconds: scenario.load.rampUp.seconds,
            thinkSeconds: scenario.load.thinkTime.seconds,
            protocolVersion: scenario.initializeParameters.protocolVersion)
    }
}
