import MCPLoadJSONRPC
import Testing

@testable import MCPLoadTransport

@Suite("Line framing")
struct LineFramerTests {
    private func frames(_ chunks: [String], max: Int = 64) -> [LineFramer.Frame] {
        var framer = LineFramer(maxMessageBytes: max)
        var out: [LineFramer.Frame] = []
        for chunk in chunks { framer.append(Array(chunk.utf8)) { out.append($0) } }
        if let last = framer.finish() { out.append(last) }
        return out
    }

    private func line(_ text: String) -> LineFramer.Frame { .line(Array(text.utf8)) }

    @Test("splits on LF and CRLF, across chunk boundaries, skipping empty lines")
    func splitting() {
        #expect(
            frames(["{\"a\":1}\n{\"b\"", ":2}\r\n\n{\"c\":3}"]) == [
                line("{\"a\":1}"), line("{\"b\":2}"), line("{\"c\":3}"),
            ])
    }

    @Test("a line over the limit becomes one oversize frame and framing recovers after it")
    func oversize() {
        let long = String(repeating: "x", count: 100)
        #expect(
            frames(["ok\n" + long.prefix(50), long.suffix(50) + "\nnext\n"], max: 64) == [
                line("ok"), .oversize(byteCount: 100), line("next"),
            ])
    }

    @Test("a line of exactly the limit passes, with or without CR")
    func exactLimit() {
        let exact = String(repeating: "y", count: 64)
        #expect(frames([exact + "\r\n", exact + "\n"], max: 64) == [line(exact), line(exact)])
        #expect(frames([exact + "z\n"], max: 64) == [.oversize(byteCount: 65)])
    }

    @Test("an oversize tail without newline is still reported at the end of the stream")
    func oversizeTail() {
        #expect(frames([String(repeating: "z", count: 200)], max: 64) == [.oversize(byteCount: 200)])
    }
}
