import MCPLoadCore
import Testing

@testable import MCPLoadTransport

@Suite("Inbound queue")
struct InboundQueueTests {
    private static func line(_ bytes: Int) -> InboundEvent { .frame(.line(Array(repeating: 0x61, count: bytes))) }

    @Test("a producer is told to pause past the high-water mark, and called back below the low one")
    func backpressure() async {
        let queue = InboundQueue()
        var accepted = 0
        while queue.yield(Self.line(64 << 10)) { accepted += 1 }
        // 1 MiB of 64 KiB messages (and their overhead): the 16th crosses the mark.
        #expect(accepted == 15)
        let resumed = OneShot<Void>()
        queue.whenRoom { resumed.complete(()) }
        var iterator = queue.makeAsyncIterator()
        // Draining to a quarter (three messages left, with their overhead) wakes the producer.
        for _ in 0..<13 { _ = await iterator.next() }
        await resumed.wait()
        #expect(queue.yield(Self.line(10)))
    }

    @Test("a consumer that is cancelled ends the queue: buffered events dropped, producers released for good")
    func cancellation() async {
        let queue = InboundQueue()
        while queue.yield(Self.line(256 << 10)) {}
        let consumer = Task {
            var count = 0
            for await _ in queue { count += 1 }
            return count
        }
        consumer.cancel()
        _ = await consumer.value
        await queue.waitForRoom()  // returns: nobody will ever read, so nobody should wait
        #expect(queue.yield(Self.line(1 << 20)))
    }

    @Test("finish ends the iteration after what was buffered")
    func finish() async {
        let queue = InboundQueue()
        queue.yield(.streamResumed)
        queue.yield(.closed("done"))
        queue.finish()
        queue.yield(.streamResumed)  // after the end: dropped
        var events: [InboundEvent] = []
        for await event in queue { events.append(event) }
        #expect(events == [.streamResumed, .closed("done")])
    }
}

@Suite("Process guardian")
struct ProcessGuardianTests {
    @Test("reads +PID and -PID lines, joined across chunks, ignoring anything else")
    func lines() {
        var groups = GuardedGroups()
        groups.take(Array("+100\n+2".utf8))
        groups.take(Array("00\n+300\n-100\nnonsense\n+1\n-\n+abc\n".utf8))
        #expect(groups.groups == [200, 300])
    }
}

@Suite("Recent ids")
struct RecentIDsTests {
    @Test("keeps the most recent ids up to its capacity, whatever is removed in between")
    func bounded() {
        var ids = RecentIDs(capacity: 3)
        for number in 1...10 { ids.insert(.number(Int64(number))) }
        #expect(ids.count == 3)
        #expect(ids.contains(.number(10)) && !ids.contains(.number(7)))
        let removed = ids.remove(.number(9))
        let again = ids.remove(.number(9))
        #expect(removed && !again)
        for number in 11...1000 {
            ids.insert(.number(Int64(number)))
            ids.remove(.number(Int64(number)))
        }
        #expect(ids.count == 2)
    }
}
