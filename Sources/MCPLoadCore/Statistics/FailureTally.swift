/// Failures counted by class, by code within a class, with a few examples for the report.
package struct FailureTally: Sendable, Hashable, Codable {
    package private(set) var byClass: [FailureClass: UInt64] = [:]
    /// JSON-RPC error codes and HTTP statuses, per class: `jsonrpc_error` → `-32603` → 4.
    package private(set) var byCode: [FailureClass: [String: UInt64]] = [:]
    /// The first distinct messages, so a report can say what went wrong and not only how often.
    package private(set) var examples: [FailureExample] = []

    package static let exampleLimit = 5

    package init() {}

    package var total: UInt64 { byClass.values.reduce(0, +) }

    package var notSent: UInt64 { byClass[.notSent] ?? 0 }

    package subscript(failureClass: FailureClass) -> UInt64 { byClass[failureClass] ?? 0 }

    package mutating func record(_ failure: Failure, count: UInt64 = 1) {
        byClass[failure.failureClass, default: 0] += count
        if let code = failure.code {
            byCode[failure.failureClass, default: [:]][String(code), default: 0] += count
        }
        noteExample(FailureExample(failureClass: failure.failureClass, message: failure.message, count: count))
    }

    package mutating func merge(_ other: FailureTally) {
        byClass.merge(other.byClass, uniquingKeysWith: +)
        byCode.merge(other.byCode) { $0.merging($1, uniquingKeysWith: +) }
        for example in other.examples { noteExample(example) }
    }

    /// Rewrites the examples' messages (redaction).
    mutating func redactExamples(_ rewrite: (String) -> String) {
        for index in examples.indices { examples[index].message = rewrite(examples[index].message) }
    }

    private mutating func noteExample(_ example: FailureExample) {
        if let index = examples.firstIndex(where: {
            $0.failureClass == example.failureClass && $0.message == example.message
        }) {
            examples[index].count += example.count
        } else if examples.count < Self.exampleLimit {
            examples.append(example)
        }
    }
}

package struct FailureExample: Sendable, Hashable, Codable {
    package var failureClass: FailureClass
    package var message: String
    /// How many failures carried this message (counted only while it is among the examples).
    package var count: UInt64

    enum CodingKeys: String, CodingKey {
        case failureClass = "class"
        case message, count
    }
}
