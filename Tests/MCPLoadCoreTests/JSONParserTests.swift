import Foundation
import MCPLoadJSONRPC
import Testing

@testable import MCPLoadCore

@Suite("JSON parser and writer")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("parses every kind of value, keeping integers apart from doubles")
    func values() throws {
        let document = try parse(
            #" { "a" : [1, -2, 3.5, -0.25e2, 1E3, true, false, null], "s": "x\"y\\z\/\n\t\u00e9\ud83d\ude00", "o": {} , "e": [] } "#
        )
        #expect(
            document == [
                "a": [1, -2, .double(3.5), .double(-25), .double(1000), true, false, .null],
                "s": "x\"y\\z/\n\té😀", "o": [:], "e": [],
            ])
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("\"héllo ✓\"") == "héllo ✓")
    }

    @Test(
        "rejects what RFC 8259 does not allow",
        arguments: [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "tru", "nul", "\"abc",
            "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "{1:2}",
            "[1] [2]", "{\"a\" 1}", "NaN", "// comment\n1",
        ])
    func rejects(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test(
        "numbers beyond a double's range are refused: as infinity they would be written back as text that is not JSON (found by the fuzzer)",
        arguments: ["1e400", "-1e400", "[1444444914449111e0452]", "{\"a\": 9e999}"])
    func outOfRange(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("rejects invalid UTF-8 inside strings and bytes outside any value")
    func invalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test("nesting is bounded")
    func depth() throws {
        let deep =
            String(repeating: "[", count: JSONParser.maximumDepth + 1)
            + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONParseError.self) { try parse(deep) }
        let fine =
            String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test("agrees with Foundation's JSONSerialization on a corpus of MCP-shaped documents")
    func agreesWithFoundation() throws {
        let corpus = [
            #"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"echo","inputSchema":{"type":"object","properties":{"text":{"type":"string"}}}}]}}"#,
            #"{"jsonrpc":"2.0","id":"abc","error":{"code":-32601,"message":"Method not found","data":{"x":[1.25,2e-3]}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"\u0000\u001f ok"}}"#,
            #"[0,-0,1e308,-1e-308,123456789012,"\u2028\u2029",{"":""}]"#,
        ]
        for text in corpus {
            let ours = try parse(text)
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            #expect(Self.equal(ours, theirs), "\(text)")
        }
    }

    @Test("the writer's output parses back to the same value, with keys sorted and strings escaped")
    func roundTrip() throws {
        let value: JSONValue = [
            "b": [1, .double(2.5), .double(-1e-7), "q\"\\\n\r\t\u{01}é😀", .null, true],
            "a": ["nested": [:], "empty": []],
        ]
        let bytes = JSONWriter.bytes(value)
        #expect(try JSONParser.parse(bytes) == value)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"a":{"empty":[],"nested":{}},"b":[1,2.5,"#))
        #expect(text.contains(#""q\"\\\n\r\t\u0001é😀""#))
        #expect(JSONWriter.bytes(.double(.infinity)) == Array("null".utf8))
    }

    /// Structural equality between our value and Foundation's `Any` tree.
    static func equal(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let flag): return other as? Bool == flag
        case .int(let number): return (other as? NSNumber)?.int64Value == number
        case .double(let number): return (other as? NSNumber)?.doubleValue == number
        case .string(let text): return other as? String == text
        case .array(let elements):
            guard let others = other as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { equal($0, $1) }
        case .object(let members):
            guard let others = other as? [String: Any], others.count == members.count else { return false }
            return members.allSatisfy { key, member in others[key].map { equal(member, $0) } ?? false }
        }
    }
}
