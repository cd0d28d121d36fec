#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `--leak`: the kind of record a careless tool returns. Every record is different (the process
/// id and a counter are in each value), so a test can count exactly what was exposed.
enum FakeCustomerRecord {
    /// Record `number` of this process: one email, one Luhn-valid card, one `sk-` key.
    static func text(number: Int) -> String {
        let id = "\(getpid())\(String(repeating: "0", count: max(0, 6 - String(number).count)))\(number)"
        return "customer record: email customer-\(id)@example.com, card \(card(from: id)), "
            + "api key sk-demo\(String(repeating: "x", count: max(0, 20 - id.count)))\(id)"
    }

    /// 16 digits from `seed` with a Luhn check digit.
    static func card(from seed: String) -> String {
        var digits = Array(("4" + seed + String(repeating: "7", count: 15)).compactMap(\.wholeNumberValue).prefix(15))
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            let value = position % 2 == 0 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        digits.append((10 - sum % 10) % 10)
        return digits.map(String.init).joined()
    }
}
