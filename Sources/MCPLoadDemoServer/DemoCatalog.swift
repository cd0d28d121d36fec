import MCPLoadCore
import MCPLoadJSONRPC

/// The demo server's tools, resource and prompt: small, predictable, and enough to exercise
/// every step type. Its tools pass the tool-surface audit: tight schemas, annotations, plain text.
enum DemoCatalog {
    static let serverName = "mcpload-demo"
    static let resourceURI = "demo://greeting"
    static let resourceText = "Hello from the mcpload demo server"

    static let tools: JSONValue = [
        tool("echo", "Returns its text argument unchanged.", properties: ["text": stringProperty], required: ["text"]),
        tool(
            "add", "Adds two numbers.", properties: ["a": ["type": "number"], "b": ["type": "number"]],
            required: ["a", "b"]),
        tool(
            "slow", "Waits the given milliseconds, logging first, then answers.",
            properties: ["ms": ["type": "integer", "minimum": 0]], required: ["ms"]),
        tool("fail", "Always answers with isError: true.", properties: [:], required: []),
        tool(
            "ask_client", "Sends ping and roots/list to the client and reports what it answered.",
            properties: [:], required: []),
    ]

    static let stringProperty: JSONValue = ["type": "string", "maxLength": 65536]

    static func tool(_ name: String, _ description: String, properties: JSONValue, required: [JSONValue]) -> JSONValue {
        [
            "name": .string(name),
            "description": .string(description),
            "inputSchema": [
                "type": "object", "properties": properties, "required": .array(required), "additionalProperties": false,
            ],
            "annotations": ["readOnlyHint": true, "destructiveHint": false],
        ]
    }

    static let resources: JSONValue = [
        "resources": [["uri": .string(resourceURI), "name": "greeting", "mimeType": "text/plain"]]
    ]

    static let prompts: JSONValue = [
        "prompts": [
            [
                "name": "greet", "description": "Asks the model to greet someone.",
                "arguments": [["name": "name", "required": true]],
            ]
        ]
    ]

    static func text(_ text: String, isError: Bool = false) -> JSONValue {
        var result: [String: JSONValue] = ["content": [["type": "text", "text": .string(text)]]]
        if isError { result["isError"] = true }
        return .object(result)
    }
}
