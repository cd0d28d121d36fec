import MCPLoadJSONRPC
import Testing

@testable import MCPLoadCore

@Suite("Templates, durations and paths")
struct TemplateAndDurationTests {
    @Test("placeholders render from the client, the iteration and captured values")
    func rendering() throws {
        let template = try Template(parsing: "vu {{vu}} it {{ iteration }} got {{token}}!")
        let context = TemplateContext(virtualClient: 3, iteration: 9, captured: ["token": "abc"])
        #expect(template.render(in: context) == "vu 3 it 9 got abc!")
        #expect(template.variables == ["vu", "iteration", "token"])
    }

    @Test("a template that is exactly one variable keeps its JSON type")
    func typedCapture() throws {
        let context = TemplateContext(virtualClient: 1, iteration: 1, captured: ["n": 42])
        #expect(try Template(parsing: "{{n}}").renderJSON(in: context) == 42)
        #expect(try Template(parsing: "n={{n}}").renderJSON(in: context) == "n=42")
        #expect(try Template(parsing: "{{vu}}").renderJSON(in: context) == 1)
        #expect(try Template(parsing: "vu{{vu}}").renderJSON(in: context) == "vu1")
    }

    @Test("uuid differs on every render")
    func uuid() throws {
        let template = try Template(parsing: "{{uuid}}")
        let context = TemplateContext(virtualClient: 1, iteration: 1)
        #expect(template.render(in: context) != template.render(in: context))
        #expect(template.render(in: context).count == 36)
    }

    @Test("unterminated or empty placeholders are syntax errors")
    func syntax() {
        #expect(throws: TemplateSyntaxError.self) { try Template(parsing: "a {{vu") }
        #expect(throws: TemplateSyntaxError.self) { try Template(parsing: "a {{}} b") }
    }

    @Test(
        "durations read as scenario files write them",
        arguments: [
            ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("1m30s", .seconds(90)),
            ("1.5s", .milliseconds(1500)),
            ("2h", .seconds(7200)), ("100us", .microseconds(100)),
        ])
    func durations(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(
        "durations without a unit or with junk are rejected", arguments: ["10", "", "s", "10 parsecs", "-5s", "1.2.3s"])
    func badDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("numbers round to a fixed count of decimals, none included, signs kept")
    func rounding() {
        #expect(DurationText.rounded(2.345, places: 2) == "2.35")
        #expect(DurationText.rounded(812.4, places: 0) == "812")
        #expect(DurationText.rounded(0.05, places: 1) == "0.1")
        #expect(DurationText.rounded(-0.25, places: 1) == "-0.3")
        #expect(DurationText.rounded(-0.001, places: 2) == "0.00")
        #expect(DurationText.rounded(7, places: 3) == "7.000")
    }

    @Test("byte sizes print in binary units")
    func byteSizes() {
        #expect(ByteSizeText.format(512) == "512B")
        #expect(ByteSizeText.format(812 * 1024) == "812KiB")
        #expect(ByteSizeText.format(3 * 1024 + 512) == "3.5KiB")
        #expect(ByteSizeText.format(12_897_485) == "12.3MiB")
        #expect(ByteSizeText.format(300 << 20) == "300MiB")
        #expect(ByteSizeText.format(3 << 30) == "3.00GiB")
    }

    @Test("JSON paths resolve members and indexes")
    func paths() throws {
        let document: JSONValue = ["content": [["type": "text", "text": "hi"]], "structuredContent": ["sum": 3]]
        #expect(JSONPath("content[0].text")?.resolve(in: document) == "hi")
        #expect(JSONPath("$.structuredContent.sum")?.resolve(in: document) == 3)
        #expect(JSONPath("content[1].text")?.resolve(in: document) == nil)
        #expect(JSONPath("a[x]") == nil)
    }

    @Test("a step's params render once per client when they use only what a client keeps all run")
    func rendersOncePerClient() throws {
        func call(_ text: String) throws -> Step {
            Step(
                action: .callTool(name: "echo", arguments: .object(["text": .string(try Template(parsing: text))])),
                label: "call echo")
        }
        #expect(try call("hello {{vu}} {{canary}} {{identity}}").rendersOncePerClient)
        #expect(try call("plain").rendersOncePerClient)
        #expect(try !call("iteration {{iteration}}").rendersOncePerClient)
        #expect(try !call("fresh {{uuid}}").rendersOncePerClient)
        #expect(try !call("captured {{order}}").rendersOncePerClient)
        let read = Step(action: .readResource(uri: try Template(parsing: "file:///{{iteration}}")), label: "read")
        #expect(!read.rendersOncePerClient)
        #expect(Step(action: .listTools, label: "list").rendersOncePerClient)
    }
}
