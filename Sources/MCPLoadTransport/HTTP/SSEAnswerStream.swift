import MCPLoadCore

/// An SSE answer stream being read: the parser's state (last event id, retry), and the last
/// message it carried, which is where a request's answer comes. Outlives one response body,
/// so that a resumed stream continues where the first one ended.
struct SSEAnswerStream: Sendable {
    var parser: SSEParser
    var lastMessage: [UInt8]?

    init(maxEventBytes: Int) {
        parser = SSEParser(maxEventBytes: maxEventBytes)
    }

    /// Parses `bytes` and hands every message on to `sink` as it completes.
    mutating func feed(_ bytes: some Sequence<UInt8>, to sink: AsyncStream<InboundEvent>.Continuation) {
        parser.append(bytes) { output in
            switch output {
            case .event(let event) where event.type == "message" && !event.bytes.isEmpty:
                let message = event.bytes
                lastMessage = message
                sink.yield(.frame(.line(message)))
            case .event:
                break  // priming events (no data) and other types carry nothing for an MCP client
            case .oversize(let byteCount):
                sink.yield(.frame(.oversize(byteCount: byteCount)))
            }
        }
    }

    /// The body ended; an event not terminated by a blank line is discarded.
    mutating func bodyEnded() {
        parser.finish()
    }

    /// Whether the last message is the answer to request `id`.
    func answered(_ id: JSONRPCID) -> Bool {
        guard let lastMessage, let value = try? JSONParser.parse(lastMessage) else { return false }
        return value["id"].flatMap(JSONRPCID.init) == id && (value["result"] != nil || value["error"] != nil)
    }
}
