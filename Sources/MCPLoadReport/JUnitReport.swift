import Foundation
import MCPLoadCore

/// JUnit XML for CI systems: one test suite per run (per matrix row), one test case per
/// threshold and per step's checks. A failed threshold or a step whose answers failed their
/// `expect` checks is a failure carrying the measured value.
package enum JUnitReport {
    package static func render(_ results: [RunResult]) -> String {
        let suites = results.map(suite)
        let tests = suites.reduce(0) { $0 + $1.tests }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let seconds = results.reduce(0) { $0 + $1.durationSeconds }
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="mcpload" tests="\#(tests)" failures="\#(failures)" time="\#(time(seconds))">"#,
        ]
        for suite in suites { lines.append(contentsOf: suite.lines) }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    private struct Suite {
        var tests: Int
        var failures: Int
        var lines: [String]
    }

    private static func suite(_ result: RunResult) -> Suite {
        let name = result.scenario.name + (result.scenario.variant.map { " [\($0)]" } ?? "")
        var cases: [String] = []
        var failures = 0
        for outcome in result.thresholds {
            let failure =
                outcome.passed
                ? nil : "\(outcome.threshold): measured \(outcome.measuredText)"
            if failure != nil { failures += 1 }
            cases += testCase(className: "thresholds", name: outcome.threshold, failure: failure, type: "threshold")
        }
        for step in result.steps {
            let failed = step.failures[.checkFailed] + step.failures[.toolError]
            let example = step.failures.examples.first {
                $0.failureClass == .checkFailed || $0.failureClass == .toolError
            }
            let failure =
                failed == 0
                ? nil
                : "\(failed) of \(step.attempts) answers failed their checks"
                    + (example.map { "; e.g. [\($0.failureClass.rawValue)] \($0.message)" } ?? "")
            if failure != nil { failures += 1 }
            cases += testCase(className: "steps", name: "\(step.label): checks", failure: failure, type: "check")
        }
        if result.status != .completed {
            failures += 1
            cases += testCase(
                className: "run", name: "the run completed",
                failure: "\(result.status.rawValue): \(result.statusReason ?? "")", type: "run")
        }
        let tests = result.thresholds.count + result.steps.count + (result.status == .completed ? 0 : 1)
        let timestamp = ISO8601DateFormatter().string(from: result.startedAt)
        let open =
            #"  <testsuite name="\#(Markup.escape(name))" tests="\#(tests)" failures="\#(failures)" errors="0" "#
            + #"time="\#(time(result.durationSeconds))" timestamp="\#(timestamp)">"#
        let output = (TerminalSummary.totals(result) + AuthSummary.render(result)).joined(separator: "\n")
        return Suite(
            tests: tests, failures: failures,
            lines: [open] + cases + ["    <system-out>\(Markup.escape(output))</system-out>", "  </testsuite>"])
    }

    private static func testCase(className: String, name: String, failure: String?, type: String) -> [String] {
        let open = #"    <testcase classname="mcpload.\#(className)" name="\#(Markup.escape(name))" time="0""#
        guard let failure else { return [open + "/>"] }
        return [
            open + ">",
            #"      <failure message="\#(Markup.escape(failure))" type="\#(type)">\#(Markup.escape(failure))</failure>"#,
            "    </testcase>",
        ]
    }

    private static func time(_ seconds: Double) -> String { DurationText.rounded(seconds, places: 3) }
}
