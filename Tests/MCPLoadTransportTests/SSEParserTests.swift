import Testing

@testable import MCPLoadTransport

@Suite("Server-Sent Events parser")
struct SSEParserTests {
    private func parse(
        _ chunks: [String], maxEventBytes: Int = 1 << 20
    ) -> (outputs: [SSEParser.Output], parser: SSEParser) {
        var parser = SSEParser(maxEventBytes: maxEventBytes)
        var outputs: [SSEParser.Output] = []
        for chunk in chunks { parser.append(Array(chunk.utf8)) { outputs.append($0) } }
        parser.finish()
        return (outputs, parser)
    }

    private func event(_ data: String, type: String = "message", id: String? = nil) -> SSEParser.Output {
        .event(.init(type: type, data: data, lastEventID: id))
    }

    @Test("events, types, ids and multi-line data; LF, CRLF and CR line ends, split anywhere")
    func basics() {
        let stream =
            "id: 1\nevent: message\ndata: {\"a\":1}\n\n: keep-alive\r\ndata: line one\r\ndata:line two\r\n\r\nevent: endpoint\rdata: /messages?s=9\r\r"
        let whole = parse([stream])
        #expect(
            whole.outputs == [
                event("{\"a\":1}", id: "1"), event("line one\nline two", id: "1"),
                event("/messages?s=9", type: "endpoint", id: "1"),
            ])
        #expect(whole.parser.comments == 1)
        // The same bytes, one byte at a time: every split point, including between CR and LF.
        let bytewise = parse(stream.map { String($0) })
        #expect(bytewise.outputs == whole.outputs)
    }

    @Test("retry sets the reconnection time; an id with no data still updates the last event id")
    func retryAndIDs() {
        let result = parse(["retry: 2500\nretry: soon\nid: 41\n\nid: 42\ndata: x\n\nid\ndata: y\n\n"])
        #expect(result.outputs == [event("x", id: "42"), event("y", id: "")])
        #expect(result.parser.retry == .milliseconds(2500))
        #expect(result.parser.lastEventID == "")
    }

    @Test("a field with no colon, an empty data line, one space stripped, unknown fields ignored")
    func fields() {
        let result = parse(["data\ndata:  two spaces\nfoo: bar\n\n"])
        #expect(result.outputs == [event("\n two spaces")])
    }

    @Test("an unterminated event at the end of the stream is discarded")
    func unterminated() {
        #expect(parse(["data: complete\n\ndata: cut"]).outputs == [event("complete")])
    }

    @Test("an oversize event is reported and skipped; the next one parses")
    func oversize() {
        let big = String(repeating: "z", count: 10_000)
        let outputs = parse(["data: \(big)\n\ndata: ok\n\n"], maxEventBytes: 1000).outputs
        #expect(outputs.count == 2)
        if case .oversize(let count) = outputs.first {
            #expect(count > 10_000)
        } else {
            Issue.record("oversize expected")
        }
        #expect(outputs.last == event("ok"))
    }

    @Test("a byte-order mark at the start is ignored")
    func bom() {
        #expect(parse(["\u{FEFF}data: hi\n\n"]).outputs == [event("hi")])
    }
}
