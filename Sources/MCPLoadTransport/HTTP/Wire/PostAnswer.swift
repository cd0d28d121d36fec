import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore
import NIOHTTP1

/// A POST's answer once its body is over. Messages it carried were already handed to the
/// session's inbound stream as they arrived, on the event loop.
package struct PostAnswer: Sendable {
    var head: HTTPResponseHead
    /// The start of an error answer's body, for its failure message.
    var errorBody: [UInt8] = []
    /// An SSE answer's stream, to resume it when it ended before the answer.
    var events: SSEAnswerStream?
    /// What was wrong with a body that was nonetheless read to its end (too large, wrong type).
    var failure: Failure?
    /// The answer's stream end went to the session right behind its message, from the event
    /// loop: the session's reader wakes once for both instead of once for each.
    var streamEndDelivered = false
    /// A JSON answer kept for the sender (``PostAnswerReader/keepsJSONAnswer``) rather than
    /// queued for the session's reader.
    var jsonAnswer: [UInt8]?
}

/// Reads one POST's answer on the event loop, as its parts arrive: a JSON answer is collected
/// (bounded) and delivered whole, an SSE answer is parsed and each message delivered as it
/// completes, an error answer keeps the start of its body. Everything else is dropped unread.
package struct PostAnswerReader {
    /// Where a Streamable HTTP session's answers go; nil for a POST whose answers come
    /// elsewhere (legacy SSE, DELETE), which only says whether it was taken.
    let sink: InboundQueue?
    let maxMessageBytes: Int
    /// The request this POST carries, whose stream end a complete answer reports.
    let answering: JSONRPCID?
    /// Sees the answer's head before any of its messages are delivered: a session id must be
    /// in force before the session, woken by the answer, sends its next request.
    let sawHead: (@Sendable (HTTPResponseHead) -> Void)?
    /// A JSON answer goes back to the sender in ``PostAnswer/jsonAnswer`` instead of onto the
    /// session's queue (its stream end is then the sender's to report too).
    var keepsJSONAnswer = false

    private enum Body {
        case json(ByteBuffer?)
        case events(SSEAnswerStream)
        case errorBody([UInt8])
        case discard
    }

    private var body = Body.discard
    private var head: HTTPResponseHead?
    private var failure: Failure?

    /// The start of an error answer's body that is kept for its message.
    static let errorBodyPrefix = 4096

    package init(
        sink: InboundQueue?, maxMessageBytes: Int, answering: JSONRPCID? = nil,
        sawHead: (@Sendable (HTTPResponseHead) -> Void)? = nil
    ) {
        self.sink = sink
        self.maxMessageBytes = maxMessageBytes
        self.answering = answering
        self.sawHead = sawHead
    }

    mutating func begin(_ head: HTTPResponseHead) {
        self.head = head
        sawHead?(head)
        let status = head.status.code
        guard sink != nil else {
            body = (200..<300).contains(status) ? .discard : .errorBody([])
            return
        }
        switch status {
        case 200:
            let contentType = head.headers.first(name: "Content-Type")?.lowercased() ?? ""
            if contentType.hasPrefix("text/event-stream") {
                body = .events(SSEAnswerStream(maxEventBytes: maxMessageBytes))
            } else if contentType.hasPrefix("application/json") {
                body = .json(nil)
            } else {
                failure = Failure(.protocol, "answer with unexpected Content-Type '\(contentType)'")
            }
        case 202:
            body = .discard  // accepted: right for notifications and responses
        default:
            body = .errorBody([])
        }
    }

    /// Takes a part of the body; false when the session's queue is full and reading should
    /// pause until it has room (an SSE answer streaming faster than the session reads).
    mutating func read(_ buffer: ByteBuffer) -> Bool {
        // Each case takes its state out of `body` before changing it, so that the arrays and
        // buffers inside stay uniquely referenced and grow in place instead of being copied.
        var current = Body.discard
        swap(&current, &body)
        switch consume current {
        case .json(let collected):
            guard var collected else {
                // The usual answer is one chunk: kept as it came rather than copied.
                body = buffer.readableBytes > maxMessageBytes ? tooLarge() : .json(buffer)
                return true
            }
            guard collected.readableBytes + buffer.readableBytes <= maxMessageBytes else {
                body = tooLarge()
                return true
            }
            collected.writeImmutableBuffer(buffer)
            body = .json(collected)
        case .events(var stream):
            let room = sink.map { stream.feed(buffer.readableBytesView, to: $0) } ?? true
            body = .events(stream)
            return room
        case .errorBody(var prefix):
            let room = Self.errorBodyPrefix - prefix.count
            if room > 0 { prefix.append(contentsOf: buffer.readableBytesView.prefix(room)) }
            body = .errorBody(prefix)
        case .discard:
            break
        }
        return true
    }

    private func deliverStreamEnd() -> Bool {
        guard failure == nil, let sink, let answering else { return false }
        sink.yield(.responseStreamEnded(answering))
        return true
    }

    private mutating func tooLarge() -> Body {
        failure = Failure(.protocol, "JSON answer exceeds the limit of \(maxMessageBytes) bytes")
        return .discard
    }

    /// The body is over: delivers a JSON answer and says what the POST came to.
    mutating func end() -> PostAnswer? {
        guard let head else { return nil }
        var answer = PostAnswer(head: head, failure: failure)
        switch body {
        case .json(let collected):
            let line = collected.map { Array($0.readableBytesView) } ?? []
            if keepsJSONAnswer, failure == nil {
                answer.jsonAnswer = line
            } else {
                sink?.yield(.frame(.line(line)))
                answer.streamEndDelivered = deliverStreamEnd()
            }
        case .events(var stream):
            stream.bodyEnded()
            answer.events = stream
            // A stream that ended before its answer may still be resumed: then its end is the
            // sender's to report, after the resumption.
            if let answering, stream.answered(answering) { answer.streamEndDelivered = deliverStreamEnd() }
        case .errorBody(let prefix):
            answer.errorBody = prefix
        case .discard:
            if head.status.code == 202 { answer.streamEndDelivered = deliverStreamEnd() }
        }
        return answer
    }
}
