import MCPLoadJSONRPC
import Testing

@testable import MCPLoadCore

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("backoff doubles from the initial wait up to the maximum; jitter keeps it between half and all of it")
    func backoff() {
        let steady = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1), jitter: false)
        #expect(
            (1...6).map { steady.delay(beforeRetry: $0, retryAfter: nil, unit: 0.3) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        let jittered = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1), jitter: true)
        #expect(jittered.delay(beforeRetry: 2, retryAfter: nil, unit: 0) == .milliseconds(100))
        #expect(jittered.delay(beforeRetry: 2, retryAfter: nil, unit: 1) == .milliseconds(200))
    }

    @Test("a server's Retry-After is honoured, within the maximum")
    func retryAfter() {
        let policy = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2), jitter: false)
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(1), unit: 0) == .seconds(1))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(30), unit: 0) == .seconds(2))
    }

    @Test("which failures retry: classes by name, HTTP 5xx and 429 by status")
    func conditions() {
        let policy = RetryPolicy()
        #expect(policy.retries(Failure(.timeout, "late")))
        #expect(policy.retries(Failure(.httpStatus, code: 503, "busy")))
        #expect(policy.retries(Failure(.httpStatus, code: 429, "slow down")))
        #expect(!policy.retries(Failure(.httpStatus, code: 401, "who are you")))
        #expect(!policy.retries(Failure(.checkFailed, "wrong answer")))
    }

    @Test("retry: parses, both modes; unknown modes and conditions are located errors")
    func parses() throws {
        let scenario = try ScenarioText.parse(
            "target: { builtin: demo }\nsteps: [ping]\n"
                + "retry: { attempts: 4, backoff: { initial: 50ms, max: 1s, jitter: false }, mode: request, on: [timeout, http-429] }"
        )
        #expect(
            scenario.retry
                == RetryPolicy(
                    attempts: 4, initialBackoff: .milliseconds(50), maximumBackoff: .seconds(1), jitter: false,
                    on: [.failureClass(.timeout), .httpTooManyRequests]))
        let history = try ScenarioText.parse(
            "target: { builtin: demo }\nsteps: [ping]\nretry: { mode: resend-history }")
        #expect(history.retry?.mode == .resendHistory)
        let mode = ScenarioText.error("target: { builtin: demo }\nsteps: [ping]\nretry: { mode: replay }")
        #expect(mode?.hasPrefix("s.yaml:3: retry mode 'replay' is not one of request, resend-history") == true)
        let unknown = ScenarioText.error("target: { builtin: demo }\nsteps: [ping]\nretry: { on: [slow] }")
        #expect(unknown?.hasPrefix("s.yaml:3: retry.on: 'slow' is not one of") == true)
    }
}

@Suite("History carry")
struct HistoryCarryTests {
    @Test("history: carry parses as none, meta or an argument; mistakes are located")
    func parses() throws {
        let base = "target: { builtin: demo }\nsteps: [ping]\n"
        #expect(try ScenarioText.parse(base + "history: { carry: meta }").history == .meta)
        #expect(try ScenarioText.parse(base + "history: { carry: none }").history == nil)
        #expect(
            try ScenarioText.parse(base + "history: { carry: { argument: context } }").history == .argument("context"))
        let message = ScenarioText.error(base + "history: { carry: everything }")
        #expect(message?.hasPrefix("s.yaml:3: history.carry 'everything' is not one of") == true)
    }

    @Test("the transcript goes in _meta for any request, or in the named argument of tool calls only")
    func attach() {
        let transcript: JSONValue = [HistoryCarry.entry(method: "ping", params: nil, answer: [:])]
        let meta = HistoryCarry.meta.attach(transcript, to: ["name": "echo"], method: "tools/call")
        #expect(meta?["_meta"]?[HistoryCarry.metaKey] == transcript)
        #expect(meta?["name"] == "echo")
        let argument = HistoryCarry.argument("context")
        let call = argument.attach(transcript, to: ["name": "echo", "arguments": ["text": "hi"]], method: "tools/call")
        #expect(call?["arguments"]?["context"] == transcript)
        #expect(call?["arguments"]?["text"] == "hi")
        #expect(argument.attach(transcript, to: nil, method: "tools/list") == nil)
        #expect(
            HistoryCarry.Payload(carry: .meta, transcript: [transcript]).bytes == JSONWriter.bytes([transcript]).count)
    }
}
