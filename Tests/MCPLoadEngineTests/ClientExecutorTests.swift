import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// The real executor and the real JSON-RPC client against scripted servers in memory, on a
/// manual clock: what used to take processes and wall-clock waits, with neither.
@Suite("Client executor in memory", .timeLimit(.minutes(1)))
struct ClientExecutorTests {
    @Test("a 429 with Retry-After is waited out on the run's clock, exactly, then retried")
    func retryAfter() async throws {
        let server = ScriptedMCPServer { _, earlier in
            earlier == 0
                ? .fail(Failure(.httpStatus, code: 429, "HTTP 429, Retry-After: 3", retryAfter: .seconds(3)))
                : .result(ScriptedMCPServer.echoed)
        }
        let clock = ManualClock()
        let client = try InMemoryRun.client(
            """
            target: { builtin: demo }
            load: { iterations: 1 }
            retry: { attempts: 2, backoff: { initial: 10ms, max: 5s, jitter: false }, on: [http-429] }
            steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
            """, server: server, clock: clock)
        // The client sleeps out the server's Retry-After, not its own 10 ms.
        await clock.waitForSleeper(until: .seconds(3))
        clock.advance(by: .seconds(3))
        let recorder = await client.value
        let step = try #require(recorder.steps.first)
        #expect(step.attempts == 2 && step.retries == 1 && step.retrySuccesses == 1)
        #expect(step.failures[.httpStatus] == 1)
        #expect(server.requests == ["tools/call", "tools/call"])
    }

    @Test("a request with no answer times out when the run's clock passes its deadline, its latency exactly that")
    func timeout() async throws {
        let server = ScriptedMCPServer { _, _ in .silence }
        let clock = ManualClock()
        let client = try InMemoryRun.client(
            """
            target: { builtin: demo }
            load: { iterations: 1 }
            steps: [{ call_tool: { name: echo, arguments: { text: hi }, timeout: 300ms } }]
            """, server: server, clock: clock)
        await clock.waitForSleeper(until: .milliseconds(300))
        clock.advance(by: .milliseconds(300))
        let recorder = await client.value
        let step = try #require(recorder.steps.first)
        #expect(step.failures.byClass == [.timeout: 1])
        #expect(
            step.failedLatency.maxMicroseconds >= 300_000 && step.failedLatency.minMicroseconds <= 300_000 * 119 / 100)
    }

    @Test("resend-history after a crash: a new session, the iteration replayed in order, counted exactly")
    func resendHistoryAfterCrash() async throws {
        let server = ScriptedMCPServer { method, earlier in
            method == "tools/call" && earlier == 1 ? .crash : .result(ScriptedMCPServer.echoed)
        }
        let clock = ManualClock()
        let client = try InMemoryRun.client(
            """
            target: { builtin: demo }
            load: { iterations: 1 }
            retry: { attempts: 2, backoff: { initial: 50ms, max: 1s, jitter: false }, mode: resend-history, on: [transport] }
            steps:
              - call_tool: { name: echo, arguments: { text: one } }
              - call_tool: { name: echo, arguments: { text: two }, label: second }
            """, server: server, clock: clock)
        await clock.waitForSleeper(until: .milliseconds(50))
        clock.advance(by: .milliseconds(50))
        let recorder = await client.value
        #expect(server.sessionsOpened == 2)
        #expect(server.requests == ["tools/call", "tools/call", "tools/call", "tools/call"])
        let first = try #require(recorder.steps.first { $0.label == "call echo" })
        let second = try #require(recorder.steps.first { $0.label == "second" })
        // The first step re-sent once on the new session; the second failed once, then passed.
        #expect(first.attempts == 2 && first.retries == 1 && first.successes == 2)
        #expect(second.attempts == 2 && second.retries == 1 && second.failures[.transport] == 1)
        #expect(recorder.iterationsCompleted == 1 && recorder.iterationsAbandoned == 0)
        #expect(recorder.session.opened == 2 && recorder.session.closed == 2)
    }

    @Test("a server that refuses sessions: each refusal is backed off on the run's clock, doubling")
    func refusedSessions() async throws {
        let server = ScriptedMCPServer(refusing: 3) { _, _ in .result(ScriptedMCPServer.echoed) }
        let clock = ManualClock()
        let client = try InMemoryRun.client(
            """
            target: { builtin: demo }
            load: { iterations: 4 }
            steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
            """, server: server, clock: clock)
        for backoff in [50, 100, 200] {
            let deadline = clock.now + .milliseconds(backoff)
            await clock.waitForSleeper(until: deadline)
            clock.advance(by: .milliseconds(backoff))
        }
        let recorder = await client.value
        #expect(recorder.session.setupFailures.total == 3 && recorder.session.opened == 1)
        // Each refused session used up its iteration; the last one ran.
        #expect(recorder.iterationsAbandoned == 3 && recorder.iterationsCompleted == 1)
        #expect(clock.now == .milliseconds(350))
    }

    @Test("think time between iterations is slept on the run's clock; a 404 abandons the iteration, re-initialises")
    func thinkAndExpiry() async throws {
        let server = ScriptedMCPServer { _, earlier in
            earlier == 0
                ? .fail(Failure(.httpStatus, code: 404, "HTTP 404 session not found"))
                : .result(ScriptedMCPServer.echoed)
        }
        let clock = ManualClock()
        let client = try InMemoryRun.client(
            """
            target: { builtin: demo }
            load: { iterations: 3, think: 5s }
            steps: [{ call_tool: { name: echo, arguments: { text: hi } } }]
            """, server: server, clock: clock)
        await clock.waitForSleeper(until: .seconds(5))
        clock.advance(by: .seconds(5))
        let recorder = await client.value
        // The abandoned iteration is not thought about; the one after it is, once.
        #expect(recorder.session.expired == 1)
        #expect(recorder.iterationsAbandoned == 1 && recorder.iterationsCompleted == 2)
        #expect(server.sessionsOpened == 2)
    }
}
