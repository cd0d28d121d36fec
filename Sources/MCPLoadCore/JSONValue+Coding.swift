import Foundation

extension JSONValue {
    /// Compact UTF-8 JSON with sorted keys, so equal values always encode to equal bytes.
    public static func encodeCompact(_ value: JSONValue) throws -> String {
        String(decoding: try encodeBytes(value), as: UTF8.self)
    }

    public static func encodeBytes(_ value: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Decodes one JSON document; throws on anything that is not exactly one valid document.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }
}
