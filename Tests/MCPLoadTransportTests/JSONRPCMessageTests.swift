import MCPLoadCore
import MCPLoadJSONRPC
import Testing

@testable import MCPLoadTransport

@Suite("JSON-RPC messages")
struct JSONRPCMessageTests {
    private func parse(_ text: String) throws(Failure) -> JSONRPCMessage {
        try JSONRPCMessage.parse(Array(text.utf8), redactor: .none)
    }

    @Test("classifies responses, errors, requests and notifications")
    func classification() throws {
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":7,"result":{"ok":true}}"#)
                == .response(id: .number(7), result: ["ok": true]))
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"nope"}}"#)
                == .errorResponse(id: .string("a"), code: -32601, message: "nope", data: nil))
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)
                == .request(id: .number(3), method: "ping", params: nil))
        #expect(
            try parse(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"p":1}}"#)
                == .notification(method: "notifications/progress", params: ["p": 1]))
    }

    @Test(
        "ids beyond 64 bits or fractional, and messages that are not JSON-RPC 2.0, are protocol failures, not traps",
        arguments: [
            #"{"jsonrpc":"2.0","id":1e19,"result":{}}"#, #"{"jsonrpc":"2.0","id":9223372036854775808,"result":{}}"#,
            #"{"jsonrpc":"2.0","id":1e400,"result":{}}"#, #"{"jsonrpc":"2.0","id":-1e400,"result":{}}"#,
            #"{"jsonrpc":"2.0","id":1.5,"result":{}}"#, #"{"jsonrpc":"2.0","id":true,"result":{}}"#,
            #"{"jsonrpc":"1.0","id":1,"result":{}}"#, #"{"id":1,"result":{}}"#, #"{"jsonrpc":2,"id":1,"result":{}}"#,
        ])
    func hostile(text: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.failureClass == .protocol)
        }
    }

    @Test("a whole number written as a double is still an id")
    func wholeDoubleID() throws {
        #expect(try parse(#"{"jsonrpc":"2.0","id":3.0,"result":1}"#) == .response(id: .number(3), result: 1))
    }

    @Test("a failure quoting the server's line hides the run's secrets, even one cut by the quote's end")
    func redactedPreview() {
        let secret = "tok-0123456789abcdefghij"
        let line = #"{"jsonrpc":"2.0","id":1,"oops":""# + String(repeating: "z", count: 100) + secret + #""}"#
        do {
            _ = try JSONRPCMessage.parse(Array(line.utf8), redactor: Redactor(secrets: [secret]))
            Issue.record("accepted")
        } catch {
            #expect(!error.message.contains("tok-0123"))
        }
    }

    @Test(
        "invalid UTF-8, invalid JSON and non-JSON-RPC objects are protocol failures",
        arguments: [
            [0x7B, 0xFF, 0xFE, 0x7D], Array("{\"jsonrpc\":".utf8), Array("[1,2]".utf8), Array("{\"id\":1}".utf8),
            Array("{\"id\":1,\"error\":{\"message\":\"no code\"}}".utf8),
        ])
    func invalid(bytes: [UInt8]) {
        #expect(throws: JSONRPCMessage.Malformed.self) { try JSONRPCMessage.parse(bytes) }
        do {
            _ = try JSONRPCMessage.parse(bytes, redactor: .none)
        } catch {
            #expect(error.failureClass == .protocol)
        }
    }

    @Test("encoded requests carry jsonrpc 2.0, the id, the method and the params")
    func encoding() throws {
        let bytes = JSONRPCEncoder.request(id: .number(12), method: "tools/call", params: ["name": "echo"])
        #expect(
            try JSONValue.decode(bytes) == [
                "jsonrpc": "2.0", "id": 12, "method": "tools/call", "params": ["name": "echo"],
            ])
    }

    @Test(
        "requests and notifications are byte for byte the sorted-key object the JSON writer makes",
        arguments: [JSONRPCID.number(7), .string("a\"b"), nil] as [JSONRPCID?],
        [nil, ["name": "echo", "arguments": ["text": "hé\n"]], [1, 2]] as [JSONValue?])
    func envelopeBytes(id: JSONRPCID?, params: JSONValue?) {
        var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": "tools/call"]
        if let id { members["id"] = id.json }
        if let params { members["params"] = params }
        let encoded =
            if let id {
                JSONRPCEncoder.request(id: id, method: "tools/call", params: params)
            } else {
                JSONRPCEncoder.notification(method: "tools/call", params: params)
            }
        #expect(encoded == JSONWriter.bytes(.object(members)))
        if let id, let params {
            // Params encoded once and reused give the same bytes.
            #expect(JSONRPCEncoder.request(id: id, method: "tools/call", encoded: EncodedParams(params)) == encoded)
        }
    }
}
