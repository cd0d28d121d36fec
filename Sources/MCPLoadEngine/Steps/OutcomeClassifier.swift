import MCPLoadCore
import MCPLoadJSONRPC
import MCPLoadTransport

/// Decides which class an answer falls in, and whether it passes the step's checks. Pure.
package enum OutcomeClassifier {
    package static func classify(
        _ answer: JSONRPCAnswer, expecting expectation: Expectation, isToolCall: Bool,
        context: TemplateContext = TemplateContext(virtualClient: 0, iteration: 0)
    ) -> Outcome {
        switch answer {
        case .failed(let failure):
            return .failure(failure)
        case .error(let code, let message, _):
            if let expected = expectation.errorCode {
                return expected == code
                    ? .success
                    : .failure(Failure(.checkFailed, "expected error \(expected), got error \(code): \(message)"))
            }
            return .failure(Failure(.jsonrpcError, code: code, "error \(code): \(message)"))
        case .result(let result):
            if let expected = expectation.errorCode {
                return .failure(Failure(.checkFailed, "expected error \(expected), got a result"))
            }
            return check(result, against: expectation, isToolCall: isToolCall, context: context)
        }
    }

    static func check(
        _ result: JSONValue, against expectation: Expectation, isToolCall: Bool, context: TemplateContext
    ) -> Outcome {
        if isToolCall {
            let isError = result["isError"]?.boolValue ?? false
            switch (isError, expectation.isError) {
            case (true, nil), (true, false?):
                return .failure(Failure(.toolError, "tool returned isError: \(firstText(in: result) ?? "no text")"))
            case (false, true?):
                return .failure(Failure(.checkFailed, "expected isError: true, tool succeeded"))
            default:
                break
            }
        }
        for template in expectation.contains {
            let needle = template.render(in: context)
            if !strings(of: result, contain: needle) {
                return .failure(Failure(.checkFailed, "result does not contain \"\(needle)\""))
            }
        }
        for equality in expectation.equals {
            let actual = equality.path.resolve(in: result)
            guard let actual, sameValue(actual, equality.value) else {
                let shown = actual.map { $0.displayText } ?? "nothing"
                return .failure(
                    Failure(.checkFailed, "\(equality.path) is \(shown), expected \(equality.value.displayText)"))
            }
        }
        return .success
    }

    /// Numbers compare by value (`3` equals `3.0`), everything else structurally.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Double(left) == right
        default:
            return lhs == rhs
        }
    }

    static func firstText(in result: JSONValue) -> String? {
        result["content"]?.arrayValue?.lazy.compactMap { $0["text"]?.stringValue }.first
    }

    /// Whether `needle` appears in the result's strings joined by newlines (depth first, keys
    /// in order). A needle without a newline cannot span two strings, so each string is
    /// searched alone, in place, in any order: the joined text is built only for the rare
    /// needle that needs it. Literal byte comparison, as the joined text's search was.
    static func strings(of result: JSONValue, contain needle: String) -> Bool {
        guard !needle.isEmpty else { return true }
        guard !needle.utf8.contains(UInt8(ascii: "\n")) else {
            var lines = ""
            appendStrings(in: result, to: &lines)
            return ByteSearch.contains(String(lines.dropFirst()), needle)  // the newline before the first string
        }
        return anyString(in: result) { ByteSearch.contains($0, needle) }
    }

    private static func anyString(in value: JSONValue, where matches: (String) -> Bool) -> Bool {
        switch value {
        case .string(let string): matches(string)
        case .array(let elements): elements.contains { anyString(in: $0, where: matches) }
        case .object(let members): members.values.contains { anyString(in: $0, where: matches) }
        default: false
        }
    }

    /// Every string in the result, depth first, each after a newline: what `contains` searches.
    static func appendStrings(in value: JSONValue, to text: inout String) {
        switch value {
        case .string(let string):
            text.append("\n")
            text.append(string)
        case .array(let elements):
            for element in elements { appendStrings(in: element, to: &text) }
        case .object(let members):
            for key in members.keys.sorted() { appendStrings(in: members[key] ?? .null, to: &text) }
        default:
            break
        }
    }
}
