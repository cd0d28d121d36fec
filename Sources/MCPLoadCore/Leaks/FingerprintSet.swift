/// A set of leak fingerprints: open addressing over the fingerprints themselves.
///
/// Fingerprints are already well-mixed 64-bit hashes (salted FNV-1a, ``LeakRedaction``), so
/// hashing them again, as `Set<UInt64>` does with SipHash on every insert and lookup, is
/// wasted work on the path every sensitive value in every answer takes.
package struct FingerprintSet: Sendable, Equatable {
    /// Slots; 0 marks an empty one (the fingerprint 0 is kept apart, in `containsZero`).
    private var slots: [UInt64]
    private var containsZero = false
    package private(set) var count = 0

    package init() {
        slots = []
    }

    package var isEmpty: Bool { count == 0 }

    package func contains(_ fingerprint: UInt64) -> Bool {
        guard fingerprint != 0 else { return containsZero }
        guard !slots.isEmpty else { return false }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: fingerprint) & mask
        while true {
            let slot = slots[index]
            if slot == fingerprint { return true }
            if slot == 0 { return false }
            index = (index + 1) & mask
        }
    }

    /// Adds `fingerprint`; true when it was not there yet.
    @discardableResult
    package mutating func insert(_ fingerprint: UInt64) -> Bool {
        guard fingerprint != 0 else {
            defer { containsZero = true }
            if !containsZero { count += 1 }
            return !containsZero
        }
        // At most half full: probes stay short.
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: fingerprint) & mask
        while true {
            let slot = slots[index]
            if slot == fingerprint { return false }
            if slot == 0 {
                slots[index] = fingerprint
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    /// Adds `fingerprint`; the set's new size when it was not there yet, nil when it was.
    package mutating func insertCounting(_ fingerprint: UInt64) -> Int? {
        insert(fingerprint) ? count : nil
    }

    /// Every fingerprint in the set, in no particular order.
    package var members: [UInt64] {
        slots.filter { $0 != 0 } + (containsZero ? [0] : [])
    }

    package mutating func formUnion(_ other: FingerprintSet) {
        if other.containsZero { insert(0) }
        for slot in other.slots where slot != 0 { insert(slot) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: max(16, old.count * 2))
        let zero = containsZero
        count = zero ? 1 : 0
        for slot in old where slot != 0 { insert(slot) }
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.count == rhs.count && lhs.containsZero == rhs.containsZero
            && lhs.slots.allSatisfy { $0 == 0 || rhs.contains($0) }
    }
}
