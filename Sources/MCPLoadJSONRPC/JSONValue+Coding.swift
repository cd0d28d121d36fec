extension JSONValue {
    /// Compact UTF-8 JSON with sorted keys, so equal values always encode to equal bytes.
    package static func encodeCompact(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }

    package static func encodeBytes(_ value: JSONValue) -> [UInt8] {
        JSONWriter.bytes(value)
    }

    /// Decodes one JSON document; throws on anything that is not exactly one valid document.
    package static func decode(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(bytes)
    }
}
