import MCPLoadCore
import MCPLoadJSONRPC

/// An SSE answer stream being read: the parser's state (last event id, retry), and the last
/// message it carried, which is where a request's answer comes. Outlives one response body,
/// so that a resumed stream continues where the first one ended.
struct SSEAnswerStream: Sendable {
    var parser: SSEParser
    var lastMessage: [UInt8]?

    init(maxEventBytes: Int) {
        parser = SSEParser(maxEventBytes: maxEventBytes)
    }

    /// Parses `bytes` and hands every message on to `sink` as it completes; false when the
    /// sink is full and reading should pause until it has room.
    mutating func feed(_ bytes: some Sequence<UInt8>, to sink: InboundQueue) -> Bool {
        var room = true
        parser.append(bytes) { output in
            switch output {
            case .event(let event) where event.type == "message" && !event.bytes.isEmpty:
                let message = event.bytes
                lastMessage = message
                room = sink.yield(.frame(.line(message))) && room
            case .event:
                break  // priming events (no data) and other types carry nothing for an MCP client
            case .oversize(let byteCount):
                room = sink.yield(.frame(.oversize(byteCount: byteCount))) && room
            }
        }
        return room
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
