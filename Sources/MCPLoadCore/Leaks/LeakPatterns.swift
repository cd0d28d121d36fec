import MCPLoadJSONRPC

/// The detectors' matchers, on UTF-8 bytes. Each starts from its anchor byte at `index` and
/// reports the range of the value it recognises; checks (Luhn, mod-97, a decodable JWT
/// header) keep look-alikes out.
enum LeakPatterns {
    typealias Found = [(LeakDetector, Range<Int>)]
    /// A string's UTF-8, borrowed in place: scanning copies nothing until it finds a value.
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Where a byte can begin a match: `@`, `:` and `-` anywhere; digits, capitals and the first
    /// letters of the token prefixes (`g`hp_, `x`ox, `s`k-, `e`yJ, `b`earer, `m`cpl-canary-) only
    /// at the start of a token; every other byte never.
    enum Anchor: UInt8 {
        case never, anywhere, tokenStart
    }

    static let anchors: [Anchor] = (0...255).map { value in
        let byte = UInt8(value)
        if byte == UInt8(ascii: "@") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") { return .anywhere }
        if isDigit(byte) || isUpper(byte) || Array("gxsebm".utf8).contains(byte) { return .tokenStart }
        return .never
    }

    static func isTokenStart(_ bytes: Bytes, _ index: Int) -> Bool {
        index == 0 || !isAlphanumeric(bytes[index - 1])
    }

    static func match(_ bytes: Bytes, at index: Int, enabled: Set<LeakDetector>, into found: inout Found) {
        let byte = bytes[index]
        let atTokenStart = index == 0 || !isAlphanumeric(bytes[index - 1])
        func report(_ detector: LeakDetector, _ range: Range<Int>?) {
            if let range, enabled.contains(detector) { found.append((detector, range)) }
        }
        switch byte {
        case UInt8(ascii: "@"):
            report(.email, email(bytes, at: index))
        case UInt8(ascii: "0")...UInt8(ascii: "9") where atTokenStart:
            report(.ssn, ssn(bytes, at: index))
            report(.card, card(bytes, at: index))
        case UInt8(ascii: ":"):
            report(.urlCredentials, urlCredentials(bytes, at: index))
        case UInt8(ascii: "-"):
            report(.privateKey, privateKey(bytes, at: index))
        default:
            guard atTokenStart else { return }
            switch byte {
            case UInt8(ascii: "A") where has(bytes, "AKIA", at: index) || has(bytes, "ASIA", at: index):
                report(.awsKey, run(bytes, from: index + 4, exactly: 16, isUpperAlphanumeric).map { index..<$0 })
            case UInt8(ascii: "g"): report(.githubToken, githubToken(bytes, at: index))
            case UInt8(ascii: "x"): report(.slackToken, slackToken(bytes, at: index))
            case UInt8(ascii: "s") where has(bytes, "sk-", at: index):
                report(.apiKey, run(bytes, from: index + 3, atLeast: 20, isKeyCharacter).map { index..<$0 })
            case UInt8(ascii: "e") where has(bytes, "eyJ", at: index): report(.jwt, jwt(bytes, at: index))
            case UInt8(ascii: "B"), UInt8(ascii: "b"): report(.bearer, bearer(bytes, at: index))
            case UInt8(ascii: "m") where has(bytes, LeakCanary.prefix, at: index):
                let start = index + LeakCanary.prefix.utf8.count
                report(.canary, run(bytes, from: start, exactly: LeakCanary.digits, isLowerHex).map { index..<$0 })
            default: break
            }
            if isUpper(byte) { report(.iban, iban(bytes, at: index)) }
        }
    }

    // MARK: Detectors

    static func email(_ bytes: Bytes, at: Int) -> Range<Int>? {
        var start = at
        while start > 0, isEmailLocal(bytes[start - 1]) { start -= 1 }
        guard start < at else { return nil }
        // `user:password@host` or `//user@host` is a URL's user information, not an address.
        if start > 0, bytes[start - 1] == 0x3A || bytes[start - 1] == 0x2F { return nil }
        var end = at + 1
        while end < bytes.count, isAlphanumeric(bytes[end]) || bytes[end] == 0x2E || bytes[end] == 0x2D { end += 1 }
        while end > at + 1, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D { end -= 1 }
        let domain = bytes[(at + 1)..<end]
        guard let dot = domain.lastIndex(of: 0x2E), dot > at + 1 else { return nil }
        let tld = bytes[(dot + 1)..<end]
        guard tld.count >= 2, tld.allSatisfy(isLetter) else { return nil }
        return start..<end
    }

    /// `ddd-dd-dddd`, outside the ranges never issued (000, 666, 9xx areas; 00 groups; 0000 serials).
    static func ssn(_ bytes: Bytes, at: Int) -> Range<Int>? {
        let end = at + 11
        guard end <= bytes.count, end == bytes.count || !isAlphanumeric(bytes[end]) else { return nil }
        for offset in 0..<11 {
            let isDash = offset == 3 || offset == 6
            guard isDash ? bytes[at + offset] == 0x2D : isDigit(bytes[at + offset]) else { return nil }
        }
        let area = number(bytes[at..<(at + 3)])
        let group = number(bytes[(at + 4)..<(at + 6)])
        let serial = number(bytes[(at + 7)..<end])
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        return at..<end
    }

    /// 13 to 19 digits passing the Luhn check: unbroken, or grouped as cards print them (4-4-4-4,
    /// 4-4-4-4-3, 4-6-5) with one kind of separator, so digits of neighbouring numbers never chain.
    static func card(_ bytes: Bytes, at: Int) -> Range<Int>? {
        // Most digits start short numbers: count before building anything.
        var count = 0
        var scan = at
        while scan < bytes.count, count < 13, isDigit(bytes[scan]) || bytes[scan] == 0x20 || bytes[scan] == 0x2D {
            if isDigit(bytes[scan]) { count += 1 }
            scan += 1
        }
        guard count >= 13 else { return nil }
        var digits: [Int] = []
        var groups: [Int] = [0]
        var separator: UInt8?
        var end = at
        var index = at
        while index < bytes.count {
            let byte = bytes[index]
            if isDigit(byte) {
                digits.append(Int(byte - 0x30))
                groups[groups.count - 1] += 1
                index += 1
                end = index
            } else if byte == 0x20 || byte == 0x2D, separator == nil || separator == byte, index + 1 < bytes.count,
                isDigit(bytes[index + 1])
            {
                separator = byte
                groups.append(0)
                index += 1
            } else {
                break
            }
            if digits.count > 19 { return nil }
        }
        guard (13...19).contains(digits.count), end == bytes.count || !isAlphanumeric(bytes[end]) else { return nil }
        let printed =
            groups.count == 1 || groups == [4, 6, 5] || groups == [4, 6, 4]
            || (groups.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(groups.last ?? 0))
        guard printed else { return nil }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            let value = position % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0 ? at..<end : nil
    }

    /// Two letters, two check digits, 11 to 30 letters or digits; mod-97 of the rearranged number is 1.
    static func iban(_ bytes: Bytes, at: Int) -> Range<Int>? {
        guard at + 15 <= bytes.count, isUpper(bytes[at + 1]), isDigit(bytes[at + 2]), isDigit(bytes[at + 3]) else {
            return nil
        }
        var end = at + 4
        while end < bytes.count, isUpperAlphanumeric(bytes[end]) { end += 1 }
        guard (15...34).contains(end - at), end == bytes.count || !isAlphanumeric(bytes[end]) else { return nil }
        var remainder = 0
        func add(_ byte: UInt8) {
            let value = isDigit(byte) ? Int(byte - 0x30) : Int(byte - 0x41) + 10
            remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97
        }
        // The country and check digits move to the end: read them after the rest.
        for index in (at + 4)..<end { add(bytes[index]) }
        for index in at..<(at + 4) { add(bytes[index]) }
        return remainder == 1 ? at..<end : nil
    }

    static func githubToken(_ bytes: Bytes, at: Int) -> Range<Int>? {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] where has(bytes, prefix, at: at) {
            return run(bytes, from: at + 4, exactly: 36, isAlphanumeric).map { at..<$0 }
        }
        guard has(bytes, "github_pat_", at: at) else { return nil }
        return run(bytes, from: at + 11, atLeast: 22) { isAlphanumeric($0) || $0 == 0x5F }.map { at..<$0 }
    }

    static func slackToken(_ bytes: Bytes, at: Int) -> Range<Int>? {
        guard has(bytes, "xox", at: at), at + 4 < bytes.count, bytes[at + 4] == 0x2D else { return nil }
        switch bytes[at + 3] {
        case UInt8(ascii: "b"), UInt8(ascii: "a"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "s"): break
        default: return nil
        }
        return run(bytes, from: at + 5, atLeast: 10) { isAlphanumeric($0) || $0 == 0x2D }.map { at..<$0 }
    }

    /// Three base64url segments; the first decodes to a JSON object with `alg`.
    static func jwt(_ bytes: Bytes, at: Int) -> Range<Int>? {
        var dots: [Int] = []
        var end = at
        while end < bytes.count, isBase64URL(bytes[end]) || bytes[end] == 0x2E {
            if bytes[end] == 0x2E { dots.append(end) }
            end += 1
        }
        guard dots.count == 2, dots[1] - dots[0] > 1, end - dots[1] > 1 else { return nil }
        guard let header = Base64URL.decode(bytes[at..<dots[0]]), let value = try? JSONParser.parse(header),
            value["alg"] != nil
        else { return nil }
        return at..<end
    }

    static func privateKey(_ bytes: Bytes, at: Int) -> Range<Int>? {
        guard has(bytes, "-----BEGIN ", at: at) else { return nil }
        guard let headerEnd = find(bytes, "PRIVATE KEY-----", from: at, within: 60) else { return nil }
        guard let footer = find(bytes, "-----END ", from: headerEnd, within: 16_384),
            let close = find(bytes, "-----", from: footer + 9, within: 60)
        else { return at..<bytes.count }
        return at..<(close + 5)
    }

    /// `scheme://user:password@host`.
    static func urlCredentials(_ bytes: Bytes, at: Int) -> Range<Int>? {
        guard has(bytes, "://", at: at) else { return nil }
        var start = at
        while start > 0,
            isAlphanumeric(bytes[start - 1]) || bytes[start - 1] == 0x2B || bytes[start - 1] == 0x2E
                || bytes[start - 1] == 0x2D
        {
            start -= 1
        }
        guard at - start >= 2 else { return nil }
        var index = at + 3
        var colon: Int?
        while index < bytes.count, bytes[index] != 0x40 {
            let byte = bytes[index]
            if byte == 0x2F || byte == 0x20 || byte == 0x22 { return nil }
            if byte == 0x3A, colon == nil { colon = index }
            index += 1
        }
        guard index < bytes.count, let colon, colon > at + 3, index > colon + 1 else { return nil }
        var end = index + 1
        while end < bytes.count, isAlphanumeric(bytes[end]) || bytes[end] == 0x2E || bytes[end] == 0x2D { end += 1 }
        return end > index + 1 ? start..<end : nil
    }

    /// The token after `Bearer ` (any case): at least 16 token characters.
    static func bearer(_ bytes: Bytes, at: Int) -> Range<Int>? {
        let word = "bearer ".utf8
        guard at + word.count < bytes.count,
            zip(bytes[at..<(at + word.count)], word).allSatisfy({ lowercased($0) == $1 })
        else { return nil }
        let start = at + word.count
        return run(bytes, from: start, atLeast: 16, isTokenCharacter).map { start..<$0 }
    }
}
