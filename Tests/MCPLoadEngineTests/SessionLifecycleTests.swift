import MCPLoadCore
import Testing

@testable import MCPLoadEngine

@Suite("Session lifecycle state machine")
struct SessionLifecycleTests {
    @Test("nothing is sent before the session opens")
    func closedRefuses() {
        let lifecycle = SessionLifecycle()
        #expect(lifecycle.decide(.ping) == .abandonIteration)
    }

    @Test("an open session sends requests, skips initialize, pauses on think, reopens on reconnect")
    func openDecisions() {
        var lifecycle = SessionLifecycle()
        lifecycle.opened(protocolVersion: "2025-11-25")
        #expect(lifecycle.state == .open(protocolVersion: "2025-11-25"))
        #expect(lifecycle.decide(.listTools) == .send)
        #expect(lifecycle.decide(.initialize(protocolVersion: nil, clientInfo: nil)) == .skip)
        #expect(lifecycle.decide(.think(.milliseconds(5))) == .pause(.milliseconds(5)))
        #expect(lifecycle.decide(.reconnect) == .reopen)
    }

    @Test(
        "transport and not-sent failures break the session; other failures leave it usable",
        arguments: FailureClass.allCases)
    func failures(failureClass: FailureClass) {
        var lifecycle = SessionLifecycle()
        lifecycle.opened(protocolVersion: "2025-11-25")
        let decision = lifecycle.attempted(.failure(Failure(failureClass, "x")))
        let breaks = failureClass == .transport || failureClass == .notSent
        #expect(decision == (breaks ? .abandonIteration : .proceed))
        #expect(lifecycle.decide(.ping) == (breaks ? .abandonIteration : .send))
    }

    @Test("a failed setup leaves the session broken until it is closed and reopened")
    func setupFailure() {
        var lifecycle = SessionLifecycle()
        lifecycle.setupFailed(Failure(.timeout, "slow start"))
        #expect(lifecycle.state == .broken(reason: "slow start"))
        #expect(lifecycle.decide(.ping) == .abandonIteration)
        lifecycle.closed()
        lifecycle.opened(protocolVersion: "2025-06-18")
        #expect(lifecycle.decide(.ping) == .send)
    }
}
