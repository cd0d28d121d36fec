import MCPLoadJSONRPC
import MCPLoadTransport

/// The stdio line framer and the SSE parser, fed in chunks however the input cuts them.
enum FramingFuzzing {
    static func lines(_ bytes: [UInt8]) {
        let limit = Int(bytes.first ?? 0) + 1
        var framer = LineFramer(maxMessageBytes: limit)
        var seen = 0
        func check(_ frame: LineFramer.Frame) {
            switch frame {
            case .line(let line):
                precondition(line.count <= limit, "a line over the limit was delivered")
                precondition(!line.contains(0x0A), "a line holds a newline")
                seen += line.count
            case .oversize(let count):
                precondition(count > limit, "an oversize frame within the limit")
                seen += count
            }
        }
        for chunk in Chunks(bytes) { framer.append(Array(chunk), emit: check) }
        if let last = framer.finish() { check(last) }
        precondition(seen <= bytes.count, "the framer reported more bytes than it was given")
    }

    static func sse(_ bytes: [UInt8]) {
        let limit = Int(bytes.first ?? 0) * 4 + 1
        var parser = SSEParser(maxEventBytes: limit)
        for chunk in Chunks(bytes) {
            parser.append(chunk) { output in
                if case .event(let event) = output {
                    precondition(event.bytes.count <= limit, "an event over the limit was delivered")
                }
            }
        }
        parser.finish()
    }
}
