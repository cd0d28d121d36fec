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

    @Test(
        "`contains` searches every string of the result, nested anywhere; a needle with a newline spans strings in order"
    )
    func containsSearchesEveryString() {
        let result: JSONValue = [
            "content": [["type": "text", "text": "first"], ["type": "text", "text": "second\nthird"]],
            "structuredContent": ["deep": ["list": ["needle ümlaut here"]]], "count": 3,
        ]
        #expect(OutcomeClassifier.strings(of: result, contain: "ümlaut"))
        #expect(OutcomeClassifier.strings(of: result, contain: "cond"))
        #expect(OutcomeClassifier.strings(of: result, contain: "second\nthird"))
        // Strings are joined depth first, keys in order: content's texts, then structuredContent's.
        #expect(OutcomeClassifier.strings(of: result, contain: "first\ntext\nsecond"))
        #expect(!OutcomeClassifier.strings(of: result, contain: "firstsecond"))
        #expect(!OutcomeClassifier.strings(of: result, contain: "3"))  // numbers are not strings
        #expect(OutcomeClassifier.strings(of: result, contain: ""))
        #expect(!OutcomeClassifier.strings(of: "short", contain: "longer than it"))
    }

    @Test("byte search: literal, at every position, never past the end")
    func byteSearch() {
        #expect(ByteSearch.contains("abcabd", "abd"))
        #expect(ByteSearch.contains("aaab", "aab"))
        #expect(ByteSearch.contains("x", "x"))
        #expect(!ByteSearch.contains("abcab", "abd"))
        #expect(!ByteSearch.contains("", "a"))
        #expect(ByteSearch.contains("", ""))
        // Literal: a precomposed é is not an e with a combining accent.
        #expect(!ByteSearch.contains("caf\u{E9}", "cafe\u{301}"))
    }
}
