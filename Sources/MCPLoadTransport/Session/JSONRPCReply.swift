import MCPLoadCore
import MCPLoadJSONRPC

/// What came back for one request.
package enum JSONRPCAnswer: Sendable, Equatable {
    case result(JSONValue)
    case error(code: Int64, message: String, data: JSONValue?)
    /// No valid answer: timeout, broken transport, malformed response, never sent.
    case failed(Failure)

    package var failure: Failure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}

/// One request's answer with what it cost on the wire.
package struct JSONRPCReply: Sendable {
    package var answer: JSONRPCAnswer
    /// From just before the request was written to the moment its answer was read.
    package var latency: Duration
    package var bytesOut: Int
    package var bytesIn: Int

    package init(answer: JSONRPCAnswer, latency: Duration, bytesOut: Int, bytesIn: Int) {
        self.answer = answer
        self.latency = latency
        self.bytesOut = bytesOut
        self.bytesIn = bytesIn
    }
}
