import MCPLoadCore
import NIOCore
import NIOHTTP1
import Testing

@testable import MCPLoadTransport

/// The hot path's own HTTP/1.1: answers parsed from bytes however they are split, requests
/// written as one buffer, and every malformed or cut answer refused with a reason.
@Suite("HTTP/1.1 wire: answer parser and request writer")
struct HTTP1WireTests {
    /// What the parser makes of `text` fed in pieces of `step` bytes (then the connection's end
    /// when `closing`), as a readable transcript: "head 200", "body {}", "end", "error …".
    private func parse(_ text: String, step: Int = .max, closing: Bool = false) -> [String] {
        var parser = HTTP1ResponseParser()
        var pending = ByteBuffer()
        var transcript: [String] = []
        let bytes = Array(text.utf8)
        var offset = 0
        func drain(_ part: HTTP1ResponseParser.Part) {
            switch part {
            case .head(let head): transcript.append("head \(head.status.code)")
            case .body(let body):
                // Body parts are merged: how they are split depends on the reads.
                let text = String(buffer: body)
                if let last = transcript.last, last.hasPrefix("body ") {
                    transcript[transcript.count - 1] = last + text
                } else {
                    transcript.append("body " + text)
                }
            case .end: transcript.append("end")
            }
        }
        do throws(HTTP1ParseError) {
            while offset < bytes.count {
                let end = min(bytes.count, offset + step)
                pending.writeBytes(bytes[offset..<end])
                offset = end
                while let part = try parser.next(&pending) { drain(part) }
            }
            if closing, let part = try parser.endOfInput() { drain(part) }
        } catch {
            transcript.append("error \(error)")
        }
        return transcript
    }

    @Test("an answer framed by Content-Length, whole or a byte at a time, then the next one")
    func contentLength() {
        let two =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            + "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
        let expected = ["head 200", "body {}", "end", "head 202", "end"]
        #expect(parse(two) == expected)
        #expect(parse(two, step: 1) == expected)
        #expect(parse(two, step: 7) == expected)
    }

    @Test("headers: names and values as sent, spaces around values trimmed, keep-alive from Connection")
    func headers() {
        var parser = HTTP1ResponseParser()
        var bytes = ByteBuffer(
            string:
                "HTTP/1.1 200 OK\r\nMcp-Session-Id:  abc \r\nConnection: close\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n"
        )
        guard case .head(let head)? = try? parser.next(&bytes) else {
            Issue.record("no head")
            return
        }
        #expect(head.headers["mcp-session-id"] == ["abc"])
        #expect(head.headers["x-empty"] == [""])
        #expect(!head.isKeepAlive)
        #expect(head.status == .ok)
    }

    @Test("chunked bodies, with extensions and trailers, split anywhere")
    func chunked() {
        let text =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\nA\r\n, chunked!\r\n0\r\nX-Trailer: t\r\n\r\n"
        let expected = ["head 200", "body hello, chunked!", "end"]
        #expect(parse(text) == expected)
        #expect(parse(text, step: 1) == expected)
        #expect(parse(text, step: 3) == expected)
        // The last coding frames the body: chunked after another one, in any case and spacing.
        let listed = "HTTP/1.1 200 OK\r\ntransfer-ENCODING: gzip,  Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"
        #expect(parse(listed) == ["head 200", "body x", "end"])
        let notLast = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nraw"
        #expect(parse(notLast, closing: true) == ["head 200", "body raw", "end"])
        #expect(parse("HTTP/1.1 200 OK\r\ncontent-LENGTH: 1\r\n\r\nyz") == ["head 200", "body y", "end"])
    }

    @Test("a body without framing runs until the connection closes; 204 and 304 have none")
    func untilCloseAndBodiless() {
        #expect(parse("HTTP/1.0 200 OK\r\n\r\nall of it", closing: true) == ["head 200", "body all of it", "end"])
        #expect(parse("HTTP/1.1 204 No Content\r\n\r\n") == ["head 204", "end"])
        #expect(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n") == ["head 304", "end"])
    }

    @Test("interim answers come before the final one; a protocol switch is refused")
    func interim() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        #expect(parse(text) == ["head 100", "head 200", "body x", "end"])
        #expect(parse("HTTP/1.1 101 Switching Protocols\r\n\r\n").last?.hasPrefix("error unexpected protocol") == true)
    }

    @Test("the connection's end between answers is no error; in the middle of one it is")
    func endOfInput() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", closing: true) == ["head 200", "end"])
        let cut = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", closing: true)
        #expect(cut == ["head 200", "body abc", "error the connection closed in the middle of the answer"])
        #expect(parse("HTTP/1.1 200 O", closing: true).last?.hasPrefix("error the connection closed") == true)
        var parser = HTTP1ResponseParser()
        #expect((try? parser.endOfInput()) == .some(nil))
    }

    @Test(
        "malformed answers are refused with a reason, never waited on",
        arguments: [
            ("HTTP/2 200 OK\r\n\r\n", "malformed status line"),
            ("HTTP/1.1 2x0 OK\r\n\r\n", "malformed status code"),
            ("HTTP/1.1 099 Low\r\n\r\n", "malformed status line"),
            ("HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare LF"),
            ("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "malformed header line"),
            ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header name"),
            ("HTTP/1.1 200 OK\r\nX: a\u{1}b\r\n\r\n", "control character"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "conflicting Content-Length"),
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n", "chunk data longer"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", "chunk size too large"),
        ])
    func malformed(text: String, reason: String) {
        let transcript = parse(text)
        #expect(transcript.last?.hasPrefix("error") == true, "\(transcript)")
        #expect(transcript.last?.contains(reason) == true, "\(transcript)")
    }

    @Test("a head that never ends is refused once it passes the limit")
    func endlessHead() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Filler: aaaaaaaaaaaaaaaa\r\n", count: 4000)
        let transcript = parse(endless, step: 1000)
        #expect(transcript.last?.hasPrefix("error answer head longer than") == true)
    }

    @Test("a request is one buffer: request line, headers, blank line, body")
    func requestBytes() throws {
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/mcp?x=1", headers: ["Host": "h", "Content-Length": "2"])
        let bytes = try HTTP1RequestWriter.bytes(of: head, body: ByteBuffer(string: "{}"), allocator: .init())
        #expect(String(buffer: bytes) == "POST /mcp?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test(
        "a header or target that would break the request's framing is refused, not sent",
        arguments: [
            HTTPRequestHead(version: .http1_1, method: .POST, uri: "/mcp", headers: ["Mcp-Session-Id": "a\r\nX: y"]),
            HTTPRequestHead(version: .http1_1, method: .POST, uri: "/mcp", headers: ["Bad Name": "v"]),
            HTTPRequestHead(version: .http1_1, method: .POST, uri: "/mcp", headers: ["X": "nul\u{0}"]),
            HTTPRequestHead(version: .http1_1, method: .POST, uri: "/a b", headers: [:]),
        ])
    func unsafeRequests(head: HTTPRequestHead) {
        #expect(throws: Failure.self) {
            _ = try HTTP1RequestWriter.bytes(of: head, body: nil, allocator: .init())
        }
        do {
            _ = try HTTP1RequestWriter.bytes(of: head, body: nil, allocator: .init())
        } catch {
            #expect(error.failureClass == .notSent)
        }
    }
}
