import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport
import Testing

@testable import MCPLoadEngine

@Suite("Outcome classification")
struct OutcomeClassifierTests {
    private func classify(
        _ answer: JSONRPCAnswer, _ expectation: MCPLoadCore.Expectation = MCPLoadCore.Expectation(),
        tool: Bool = true
    )
        -> FailureClass?
    {
        OutcomeClassifier.classify(answer, expecting: expectation, isToolCall: tool).failure?
            .failureClass
    }

    private let toolText: JSONValue = [
        "content": [["type": "text", "text": "hi 3"]], "structuredContent": ["sum": 3],
    ]

    @Test("each kind of answer lands in exactly its class")
    func classes() throws {
        #expect(classify(.result(toolText)) == nil)
        #expect(classify(.error(code: -32603, message: "x", data: nil)) == .jsonrpcError)
        #expect(classify(.result(["content": [], "isError": true])) == .toolError)
        #expect(classify(.failed(Failure(.timeout, "t"))) == .timeout)
        #expect(classify(.result(toolText), MCPLoadCore.Expectation(isError: true)) == .checkFailed)
        #expect(
            classify(.result(toolText), MCPLoadCore.Expectation(contains: [try Template(parsing: "bye")]))
                == .checkFailed)
        #expect(
            classify(.result(toolText), MCPLoadCore.Expectation(contains: [try Template(parsing: "hi")]))
                == nil)
        let sum = try #require(JSONPath("structuredContent.sum"))
        #expect(
            classify(
                .result(toolText), MCPLoadCore.Expectation(equals: [.init(path: sum, value: .double(3))]))
                == nil)
        #expect(
            classify(.result(toolText), MCPLoadCore.Expectation(equals: [.init(path: sum, value: 4)]))
                == .checkFailed)
    }

    @Test("an expected JSON-RPC error code is a success; another code or a result fails the check")
    func expectedError() {
        let expectation = MCPLoadCore.Expectation(errorCode: -32700)
        #expect(
            classify(.error(code: -32700, message: "Parse error", data: nil), expectation, tool: false)
                == nil)
        #expect(
            classify(.error(code: -32600, message: "Invalid", data: nil), expectation, tool: false)
                == .checkFailed)
        #expect(classify(.result([:]), expectation, tool: false) == .checkFailed)
    }

    @Test("templated `contains` checks render per client")
    func templatedContains() throws {
        let expectation = MCPLoadCore.Expectation(contains: [try Template(parsing: "client {{vu}}")])
        let answer = JSONRPCAnswer.result(["content": [["type": "text", "text": "hello client 4"]]])
        let mine = OutcomeClassifier.classify(
            answer, expecting: expectation, isToolCall: true,
            context: TemplateContext(virtualClient: 4, iteration: 1))
        let other = OutcomeClassifier.classify(
            answer, expecting: expectation, isToolCall: true,
            context: TemplateContext(virtualClient: 5, iteration: 1))
        #expect(mine == .success)
        #expect(other.failure?.failureClass == .checkFailed)
    }
}
