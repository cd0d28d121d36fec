import MCPLoadCore
import MCPLoadJSONRPC
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
        /// Bytes of transcript the request carried (`history:`).
        var bytesCarried = 0
        /// The method and the params as the step wrote them, without any carried transcript:
        /// what the transcript itself records, so it never nests inside itself. Nil for raw lines.
        var method: String?
        var ownParams: JSONValue?
    }

    /// The method of a step that sends a structured request.
    static func method(of action: Step.Action) -> String? {
        switch action {
        case .listTools: "tools/list"
        case .callTool: "tools/call"
        case .listResources: "resources/list"
        case .readResource: "resources/read"
        case .listPrompts: "prompts/list"
        case .getPrompt: "prompts/get"
        case .ping: "ping"
        case .initialize, .notify, .raw, .think, .reconnect: nil
        }
    }

    /// The method and params of a step that sends a structured request.
    static func request(for action: Step.Action, in context: TemplateContext) -> (String, JSONValue?)? {
        guard let method = method(of: action) else { return nil }
        let params: JSONValue? =
            switch action {
            case .callTool(let name, let arguments), .getPrompt(let name, let arguments):
                ["name": .string(name), "arguments": arguments.render(in: context)]
            case .readResource(let uri): ["uri": .string(uri.render(in: context))]
            default: nil
            }
        return (method, params)
    }

    /// `prepared`: the step's params as this client always renders them, encoded already.
    static func perform(
        _ step: Step, at index: Int, on client: JSONRPCClient, context: TemplateContext, timeout: Duration,
        history: HistoryCarry.Payload? = nil, prepared: EncodedParams? = nil
    ) async -> Performed {
        let exchange = await send(
            step, on: client, context: context, timeout: timeout, history: history, prepared: prepared)
        return conclude(step, at: index, exchange, context: context)
    }

    /// Judges and measures what came back for a step (the checks, the captures, the sample):
    /// the same for a request sent by a task or by the event-loop lane.
    static func conclude(_ step: Step, at index: Int, _ exchange: Exchange, context: TemplateContext) -> Performed {
        let reply = exchange.reply
        let (outcome, captured) = judge(reply.answer, of: step, isToolCall: exchange.method == "tools/call", context)
        let sample = Sample(
            stepIndex: index, outcome: outcome, latency: reply.latency, bytesOut: reply.bytesOut,
            bytesIn: reply.bytesIn)
        let answer: JSONValue? =
            switch reply.answer {
            case .result(let result): result
            case .error(_, let message, let data): ["message": .string(message), "data": data ?? .null]
            case .failed: nil
            }
        var performed = Performed(sample: sample, captured: captured, request: exchange.sent, answer: answer)
        performed.bytesCarried = reply.bytesOut > 0 ? exchange.carried : 0
        performed.ownParams = exchange.ownParams
        performed.method = exchange.method
        return performed
    }

    /// What went out for a step, and what came back.
    struct Exchange {
        var reply: JSONRPCReply
        /// What was sent: the params (history included), or a raw line as a string.
        var sent: JSONValue?
        /// The step's own params, without carried history.
        var ownParams: JSONValue?
        var method: String?
        /// Bytes of history carried with the request.
        var carried = 0
    }

    private static func send(
        _ step: Step, on client: JSONRPCClient, context: TemplateContext, timeout: Duration,
        history: HistoryCarry.Payload?, prepared: EncodedParams?
    ) async -> Exchange {
        if case .raw(let text, _) = step.action {
            let rendered = text.render(in: context)
            let reply = await client.sendRaw(rendered, awaiting: awaitedID(of: rendered), timeout: timeout)
            return Exchange(reply: reply, sent: .string(rendered))
        }
        if let prepared, history == nil, let method = method(of: step.action) {
            // Carried history changes the params every time: only a request without it is reused.
            let reply = await client.request(method, encoded: prepared, timeout: timeout)
            return Exchange(reply: reply, sent: prepared.value, ownParams: prepared.value, method: method)
        }
        guard let (method, params) = request(for: step.action, in: context) else {
            // The virtual client never routes these here; answer rather than trap if it ever does.
            let reply = JSONRPCReply(
                answer: .failed(Failure(.notSent, "step '\(step.label)' sends no request")), latency: .zero,
                bytesOut: 0, bytesIn: 0)
            return Exchange(reply: reply)
        }
        var carrying = params
        var carried = 0
        if let history {
            carrying = history.carry.attach(history.transcript, to: params, method: method)
            carried = history.bytes
        }
        let reply = await client.request(method, params: carrying, timeout: timeout)
        return Exchange(reply: reply, sent: carrying, ownParams: params, method: method, carried: carried)
    }

    /// The step's outcome (its checks included) and the values it captures from a result.
    private static func judge(
        _ answer: JSONRPCAnswer, of step: Step, isToolCall: Bool, _ context: TemplateContext
    ) -> (Outcome, [String: JSONValue]) {
        var outcome = OutcomeClassifier.classify(
            answer, expecting: step.expectation, isToolCall: isToolCall, context: context)
        var captured: [String: JSONValue] = [:]
        if case .success = outcome, case .result(let result) = answer {
            for capture in step.captures {
                guard let value = capture.path.resolve(in: result) else {
                    outcome = .failure(Failure(.checkFailed, "capture \(capture.variable): nothing at \(capture.path)"))
                    break
                }
                captured[capture.variable] = value
            }
        }
        return (outcome, captured)
    }

    /// The id the server's answer to a raw line will carry: the line's own id, or null when the
    /// line is not a JSON object with one (the server then answers a parse or invalid-request error).
    static func awaitedID(of text: String) -> JSONRPCID {
        guard let value = try? JSONValue.decode(Array(text.utf8)), let id = value["id"] else { return .null }
        return JSONRPCID(id) ?? .null
    }
}
