import MCPLoadCore
import MCPLoadTransport

/// Performs one request step on a session and measures it.
enum StepRunner {
    struct Performed {
        var sample: Sample
        var captured: [String: JSONValue]
        /// What went to the server (the params) and what came back (result or error), for the
        /// leak scanner.
        var request: JSONValue?
        var answer: JSONValue?
    }

    static func perform(
        _ step: Step, at index: Int, on client: JSONRPCClient, context: TemplateContext, timeout: Duration
    ) async -> Performed {
        let reply: JSONRPCReply
        var isToolCall = false
        var sent: JSONValue?
        switch step.action {
        case .listTools: reply = await client.request("tools/list", params: nil, timeout: timeout)
        case .callTool(let name, let arguments):
            isToolCall = true
            let params: JSONValue = ["name": .string(name), "arguments": arguments.render(in: context)]
            sent = params
            reply = await client.request("tools/call", params: params, timeout: timeout)
        case .listResources: reply = await client.request("resources/list", params: nil, timeout: timeout)
        case .readResource(let uri):
            let params: JSONValue = ["uri": .string(uri.render(in: context))]
            sent = params
            reply = await client.request("resources/read", params: params, timeout: timeout)
        case .listPrompts: reply = await client.request("prompts/list", params: nil, timeout: timeout)
        case .getPrompt(let name, let arguments):
            let params: JSONValue = ["name": .string(name), "arguments": arguments.render(in: context)]
            sent = params
            reply = await client.request("prompts/get", params: params, timeout: timeout)
        case .ping: reply = await client.request("ping", params: nil, timeout: timeout)
        case .raw(let text, _):
            let rendered = text.render(in: context)
            sent = .string(rendered)
            reply = await client.sendRaw(rendered, awaiting: awaitedID(of: rendered), timeout: timeout)
        case .initialize, .notify, .think, .reconnect:
            // The virtual client never routes these here; answer rather than trap if it ever does.
            reply = JSONRPCReply(
                answer: .failed(Failure(.notSent, "step '\(step.label)' sends no request")), latency: .zero,
                bytesOut: 0, bytesIn: 0)
        }
        var outcome = OutcomeClassifier.classify(
            reply.answer, expecting: step.expectation, isToolCall: isToolCall, context: context)
        var captured: [String: JSONValue] = [:]
        if case .success = outcome, case .result(let result) = reply.answer {
            for capture in step.captures {
                guard let value = capture.path.resolve(in: result) else {
                    outcome = .failure(Failure(.checkFailed, "capture \(capture.variable): nothing at \(capture.path)"))
                    break
                }
                captured[capture.variable] = value
            }
        }
        let sample = Sample(
            stepIndex: index, outcome: outcome, latency: reply.latency, bytesOut: reply.bytesOut,
            bytesIn: reply.bytesIn)
        let answer: JSONValue? =
            switch reply.answer {
            case .result(let result): result
            case .error(_, let message, let data): ["message": .string(message), "data": data ?? .null]
            case .failed: nil
            }
        return Performed(sample: sample, captured: captured, request: sent, answer: answer)
    }

    /// The id the server's answer to a raw line will carry: the line's own id, or null when the
    /// line is not a JSON object with one (the server then answers a parse or invalid-request error).
    static func awaitedID(of text: String) -> JSONRPCID {
        guard let value = try? JSONValue.decode(Array(text.utf8)), let id = value["id"] else { return .null }
        return JSONRPCID(id) ?? .null
    }
}
