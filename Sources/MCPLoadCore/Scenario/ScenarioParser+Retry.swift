import Yams

extension ScenarioParser {
    /// `retry: { attempts: 3, backoff: { initial: 100ms, max: 2s, jitter: true }, mode: request, on: [...] }`.
    func parseRetry(_ node: Node) throws(ScenarioError) -> RetryPolicy {
        let fields = try mapping(node, context: "retry")
        try checkKeys(fields, allowed: ["attempts", "backoff", "mode", "on"], context: "retry")
        var policy = RetryPolicy()
        if let attempts = fields["attempts"] {
            policy.attempts = try integer(attempts, minimum: 1, maximum: 1000, what: "retry.attempts")
        }
        if let mode = fields["mode"] {
            let name = try string(mode)
            guard let known = RetryPolicy.Mode(rawValue: name) else {
                throw error(at: mode, "retry mode '\(name)' is not one of request, resend-history")
            }
            policy.mode = known
        }
        if let backoff = fields["backoff"] {
            let settings = try mapping(backoff, context: "retry.backoff")
            try checkKeys(settings, allowed: ["initial", "max", "jitter"], context: "retry.backoff")
            if let initial = settings["initial"] {
                policy.initialBackoff = try duration(initial, what: "retry.backoff.initial")
            }
            if let maximum = settings["max"] {
                policy.maximumBackoff = try duration(maximum, what: "retry.backoff.max")
            }
            if let jitter = settings["jitter"] { policy.jitter = try boolean(jitter, what: "retry.backoff.jitter") }
            guard policy.initialBackoff <= policy.maximumBackoff else {
                throw error(at: backoff, "retry.backoff.initial is longer than retry.backoff.max")
            }
        }
        if let on = fields["on"] {
            var conditions: Set<RetryPolicy.Condition> = []
            for name in try stringList(on) {
                guard let condition = RetryPolicy.Condition(name: name) else {
                    throw error(at: on, "retry.on: '\(name)' is not one of \(RetryPolicy.Condition.names)")
                }
                conditions.insert(condition)
            }
            policy.on = conditions
        }
        return policy
    }

    /// `history: { carry: none | meta | { argument: NAME } }` (or `argument: NAME` beside `carry`).
    func parseHistory(_ node: Node) throws(ScenarioError) -> HistoryCarry? {
        let fields = try mapping(node, context: "history")
        try checkKeys(fields, allowed: ["carry"], context: "history")
        guard let carry = fields["carry"] else {
            throw error(at: node, "history needs 'carry': none, meta or { argument: NAME }")
        }
        if case .mapping = carry {
            let argument = try mapping(carry, context: "history.carry")
            try checkKeys(argument, allowed: ["argument"], context: "history.carry")
            guard let name = argument["argument"], let text = try? string(name), !text.isEmpty else {
                throw error(at: carry, "write the argument as carry: { argument: NAME }")
            }
            return .argument(text)
        }
        switch try string(carry) {
        case "none": return nil
        case "meta": return .meta
        case let other: throw error(at: carry, "history.carry '\(other)' is not one of none, meta, { argument: NAME }")
        }
    }
}
