#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Literal substring search over UTF-8 bytes: what a `contains` check and the leak scanner's
/// fixed strings need, without Foundation's locale-aware search (a CFString per call on Linux).
package enum ByteSearch {
    package static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        // Native strings are contiguous already; this makes bridged or lazy ones so, once.
        haystack.makeContiguousUTF8()
        needle.makeContiguousUTF8()
        return haystack.utf8.withContiguousStorageIfAvailable { hay in
            needle.utf8.withContiguousStorageIfAvailable { pin in
                guard pin.count > 0 else { return true }
                guard pin.count <= hay.count, let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else {
                    return false
                }
                return find(pinBase, count: pin.count, in: hayBase, count: hay.count)
            } ?? false
        } ?? false
    }

    /// memchr for the needle's first byte, memcmp for the rest (glibc's memmem is not
    /// visible to Swift without _GNU_SOURCE).
    private static func find(
        _ needle: UnsafePointer<UInt8>, count needleCount: Int, in haystack: UnsafePointer<UInt8>, count: Int
    ) -> Bool {
        let first = Int32(needle.pointee)
        var start = haystack
        var remaining = count
        while remaining >= needleCount, let hit = memchr(start, first, remaining - needleCount + 1) {
            let candidate = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(candidate, needle, needleCount) == 0 { return true }
            let consumed = candidate - start + 1
            start = candidate + 1
            remaining -= consumed
        }
        return false
    }
}
