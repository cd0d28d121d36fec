import Foundation

/// The SSE answers the demo server cut short on purpose (`--cut-stream-rate`), kept so a client
/// can resume them with `GET` and `Last-Event-ID`, as MCP 2025-11-25 allows.
actor ResumableStreams {
    private struct Stream {
        var events: [[UInt8]] = []
        var finished = false
        var subscriber: AsyncStream<(Int, [UInt8])>.Continuation?
    }

    private var streams: [String: Stream] = [:]
    private var cutCounter = (seen: 0, cut: 0)

    /// Whether this answer is cut: exactly ⌊n × rate⌋ of the first n.
    func shouldCut(rate: Double) -> Bool {
        guard rate > 0 else { return false }
        cutCounter.seen += 1
        let due = Int((Double(cutCounter.seen) * rate).rounded(.down))
        guard due > cutCounter.cut else { return false }
        cutCounter.cut = due
        return true
    }

    func open() -> String {
        let id = String(UUID().uuidString.prefix(8)).lowercased()
        streams[id] = Stream()
        return id
    }

    /// Stores the next event of a stream; returns its number (from 1).
    func append(_ stream: String, _ message: [UInt8]) -> Int {
        streams[stream]?.events.append(message)
        let number = streams[stream]?.events.count ?? 0
        streams[stream]?.subscriber?.yield((number, message))
        return number
    }

    func finish(_ stream: String) {
        streams[stream]?.finished = true
        streams[stream]?.subscriber?.finish()
    }

    /// The events after `number`, then those still to come until the stream finishes; nil for
    /// an unknown stream. A stream is resumed once, then forgotten.
    func resume(_ stream: String, after number: Int) -> AsyncStream<(Int, [UInt8])>? {
        guard var state = streams[stream] else { return nil }
        let (events, continuation) = AsyncStream.makeStream(of: (Int, [UInt8]).self)
        for (index, event) in state.events.enumerated() where index + 1 > number {
            continuation.yield((index + 1, event))
        }
        if state.finished {
            continuation.finish()
            streams[stream] = nil
        } else {
            state.subscriber = continuation
            streams[stream] = state
        }
        return events
    }
}
