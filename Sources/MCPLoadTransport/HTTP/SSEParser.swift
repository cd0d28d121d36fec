/// A streaming parser for Server-Sent Events (the WHATWG event-stream format), fed bytes as
/// they arrive.
///
/// Handles LF, CRLF and lone CR line ends (also split across chunks), comments, multi-line
/// `data`, `id` (kept as the last event id even for events without data), `retry`, and a
/// leading BOM. An event larger than `maxEventBytes` is reported as oversize and skipped, so a
/// server streaming without end cannot exhaust memory.
package struct SSEParser: Sendable {
    package struct Event: Sendable, Equatable {
        /// `message` unless the server named it with `event:`.
        package var type: String
        /// The data as it came (UTF-8): an MCP message goes on as these bytes, never via a String.
        package var bytes: [UInt8]
        /// The last event id in force when this event was dispatched.
        package var lastEventID: String?

        package var data: String { String(decoding: bytes, as: UTF8.self) }

        package init(type: String = "message", data: String, lastEventID: String? = nil) {
            self.init(type: type, bytes: Array(data.utf8), lastEventID: lastEventID)
        }

        init(type: String, bytes: [UInt8], lastEventID: String?) {
            self.type = type
            self.bytes = bytes
            self.lastEventID = lastEventID
        }
    }

    package enum Output: Sendable, Equatable {
        case event(Event)
        /// An event whose fields exceeded the size limit; it was dropped.
        case oversize(byteCount: Int)
    }

    package let maxEventBytes: Int
    /// The id to send as `Last-Event-ID` when resuming.
    package private(set) var lastEventID: String?
    /// The server's requested reconnection delay, from `retry:`.
    package private(set) var retry: Duration?
    /// Comment lines seen (servers send them as keep-alives).
    package private(set) var comments = 0

    private var line: [UInt8] = []
    private var previousWasCR = false
    /// A byte-order mark is only skipped on the stream's very first line.
    private var onFirstLine = true
    private var eventType: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var eventBytes = 0
    private var oversize = false

    package init(maxEventBytes: Int = 16 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    /// Feeds bytes; `emit` is called for every event they complete.
    package mutating func append(_ bytes: some Sequence<UInt8>, emit: (Output) -> Void) {
        for byte in bytes {
            switch byte {
            case 0x0A:
                if previousWasCR {
                    previousWasCR = false
                    continue
                }
                endLine(emit: emit)
            case 0x0D:
                previousWasCR = true
                endLine(emit: emit)
            default:
                previousWasCR = false
                line.append(byte)
                if line.count + eventBytes > maxEventBytes { oversize = true }
                if oversize, line.count > 4096 {
                    // Keep counting but stop storing: the event is lost anyway.
                    eventBytes += line.count
                    line.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// The stream ended. Per the format, an event not terminated by a blank line is discarded.
    package mutating func finish() {
        line.removeAll()
        resetEvent()
    }

    private mutating func endLine(emit: (Output) -> Void) {
        defer {
            line.removeAll(keepingCapacity: true)
            onFirstLine = false
        }
        if line.isEmpty {
            dispatch(emit: emit)
            return
        }
        if onFirstLine && line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line.removeFirst(3)
        }
        eventBytes += line.count + 1
        if oversize { return }
        if line.first == UInt8(ascii: ":") {
            comments += 1
            return
        }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var valueStart = colon.map { line.index(after: $0) } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch name {
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let millis = Int64(String(decoding: value, as: UTF8.self))
            {
                retry = .milliseconds(millis)
            }
        default:
            break
        }
    }

    private mutating func dispatch(emit: (Output) -> Void) {
        defer { resetEvent() }
        if oversize {
            emit(.oversize(byteCount: eventBytes))
            return
        }
        guard hasData else { return }
        if data.last == 0x0A { data.removeLast() }
        emit(.event(Event(type: eventType ?? "message", bytes: data, lastEventID: lastEventID)))
    }

    private mutating func resetEvent() {
        eventType = nil
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventBytes = 0
        oversize = false
    }
}
