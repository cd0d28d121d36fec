import Testing

@testable import MCPLoadCore

@Suite("Failure tally")
struct FailureTallyTests {
    @Test("examples are distinct per class and message, bounded, and counted")
    func examples() {
        var tally = FailureTally()
        for index in 0..<20 { tally.record(Failure(.timeout, "no answer \(index % 7)")) }
        #expect(tally.examples.count == FailureTally.exampleLimit)
        #expect(tally[.timeout] == 20)
        #expect(tally.examples.first?.count == 3)
    }
}
