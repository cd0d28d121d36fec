import Foundation
import Testing

@testable import MCPLoadCore

@Suite("Regression gates")
struct RegressionGateTests {
    private let parser = ThresholdParser(stepLabels: ["call echo"])

    @Test("a gate is a metric and how much worse it may get, relative or in the metric's unit")
    func forms() throws {
        let cases: [(String, ThresholdMetric, RegressionGate.Direction, RegressionGate.Allowance)] = [
            ("p99(call echo) +10%", .latency(.percentile(99), of: .step("call echo")), .increase, .relative(0.1)),
            ("p50 +2ms", .latency(.percentile(50), of: .allSteps), .increase, .absolute(2000)),
            ("failure_rate +0.5pp", .failureRate(step: nil), .increase, .absolute(0.005)),
            ("rate -10%", .requestRate(step: nil), .decrease, .relative(0.1)),
            ("rate(call echo) -50/s", .requestRate(step: "call echo"), .decrease, .absolute(50)),
            ("errors.timeout +3", .failures(.timeout, code: nil, step: nil), .increase, .absolute(3)),
        ]
        for (text, metric, direction, allowance) in cases {
            let gate = try parser.parseGate(text)
            #expect(gate.metric == metric, "\(text)")
            #expect(gate.direction == direction, "\(text)")
            #expect(gate.allowance == allowance, "\(text)")
        }
    }

    @Test(
        "gate mistakes say what is wrong",
        arguments: [
            ("p99 10%", "write METRIC then the change"),
            ("p99 +10", "'10' is not a change this metric can make; write 10% or 5ms"),
            ("failure_rate +1", "'1' is not a change this metric can make; write 10% (relative) or 0.5pp"),
            ("p99(nope) +10%", "no step labelled 'nope'"),
        ])
    func errors(text: String, expected: String) {
        do {
            _ = try parser.parseGate(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message.hasPrefix(expected), "\(error.message)")
        }
    }

    @Test("increase gates cap growth, decrease gates cap loss; the boundary itself holds")
    func arithmetic() throws {
        let latency = try parser.parseGate("p99 +10%")
        #expect(latency.holds(base: 100, new: 110))
        #expect(!latency.holds(base: 100, new: 110.5))
        let rate = try parser.parseGate("rate -10%")
        #expect(rate.holds(base: 200, new: 180))
        #expect(!rate.holds(base: 200, new: 179))
        let failures = try parser.parseGate("failure_rate +0.5pp")
        #expect(failures.holds(base: 0.01, new: 0.015))
        #expect(!failures.holds(base: 0.01, new: 0.0151))
    }

    @Test("changes read as a person expects: relative, or percentage points for failure rates")
    func changes() {
        #expect(RegressionGate.change(from: 100, to: 121.4, unit: .duration) == "+21.4%")
        #expect(RegressionGate.change(from: 200, to: 150, unit: .perSecond) == "-25.0%")
        #expect(RegressionGate.change(from: 0.01, to: 0.014, unit: .fraction) == "+0.40pp")
        #expect(RegressionGate.change(from: 0, to: 3, unit: .count) == "new")
    }
}
