/// The byte-level helpers the detectors share: runs of a class of bytes, literal text, digits.
extension LeakPatterns {
    /// The end of a run of `count` bytes meeting `predicate` from `start`, followed by a boundary.
    static func run(
        _ bytes: Bytes, from start: Int, exactly count: Int, _ predicate: (UInt8) -> Bool
    )
        -> Int?
    {
        let end = start + count
        guard end <= bytes.count, bytes[start..<end].allSatisfy(predicate),
            end == bytes.count || !isAlphanumeric(bytes[end])
        else { return nil }
        return end
    }

    /// The end of the longest run from `start` meeting `predicate`, if it is at least `minimum` long.
    static func run(
        _ bytes: Bytes, from start: Int, atLeast minimum: Int, _ predicate: (UInt8) -> Bool
    )
        -> Int?
    {
        var end = start
        while end < bytes.count, predicate(bytes[end]) { end += 1 }
        return end - start >= minimum ? end : nil
    }

    static func has(_ bytes: Bytes, _ text: String, at index: Int) -> Bool {
        var position = index
        for byte in text.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    static func find(_ bytes: Bytes, _ text: String, from start: Int, within limit: Int) -> Int? {
        let last = min(bytes.count, start + limit)
        var index = start
        while index < last {
            if has(bytes, text, at: index) { return index }
            index += 1
        }
        return nil
    }

    static func number(_ digits: Slice<Bytes>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || (byte >= 0x61 && byte <= 0x7A) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    static func isUpperAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isUpper(byte) }
    static func isLowerHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 0x61 && byte <= 0x66) }
    static func isKeyCharacter(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 0x2D || byte == 0x5F }
    static func isBase64URL(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 0x2D || byte == 0x5F }
    static func isEmailLocal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"): true
        default: isAlphanumeric(byte)
        }
    }
    /// A bearer token's characters (RFC 6750's b64token).
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"),
            UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default: isAlphanumeric(byte)
        }
    }
    static func lowercased(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 32 : byte }
}
