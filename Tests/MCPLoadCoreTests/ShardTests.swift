import Foundation
import Testing

@testable import MCPLoadCore

/// A load split over N shards: deterministic, exact, and `{{vu}}` unique across shards.
@Suite("Shards")
struct ShardTests {
    @Test("I/N as written, and from a Kubernetes Indexed Job's environment")
    func parsing() throws {
        #expect(Shard(parsing: "2/3") == Shard(index: 2, count: 3))
        for text in ["0/3", "4/3", "a/b", "3", "1/0", "-1/2", "1/3/4", "1/10001", ""] {
            #expect(Shard(parsing: text) == nil, "\(text)")
        }
        #expect(try Shard.fromEnvironment([:]) == nil)
        #expect(
            try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2", "MCPLOAD_SHARDS": "3"]) == Shard(index: 3, count: 3)
        )
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0"]) }
        #expect(throws: ShardError.self) {
            try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "3", "MCPLOAD_SHARDS": "3"])
        }
        #expect(throws: ShardError.self) {
            try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "9223372036854775807", "MCPLOAD_SHARDS": "3"])
        }
    }

    @Test("shares are contiguous, add up to the whole and differ by at most one", arguments: 1...9)
    func shares(count: Int) throws {
        for total in 0...40 {
            var next = 0
            var sizes: [Int] = []
            for index in 1...count {
                let part = try #require(Shard(index: index, count: count)).share(of: total)
                #expect(part.offset == next)
                next += part.count
                sizes.append(part.count)
            }
            #expect(next == total)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        }
    }

    static func scenario(_ load: String, session: String = "") throws -> Scenario {
        try ScenarioParser(file: "s.yaml").parse(
            yaml: "target: { builtin: demo }\nload: \(load)\n\(session)steps: [ping]")
    }

    @Test("the closed model splits its clients; {{vu}} continues where the shard before stopped")
    func closedModel() throws {
        let whole = try Self.scenario("{ vus: 20, iterations: 3 }")
        let parts = try (1...3).map { try whole.sharded(#require(Shard(index: $0, count: 3))) }
        #expect(parts.map(\.load.virtualClients) == [7, 7, 6])
        #expect(parts.map { $0.shard?.virtualClientOffset } == [0, 7, 14])
        #expect(parts.allSatisfy { $0.load.iterations == 3 && $0.shard?.totalVirtualClients == 20 })
        let few = try Self.scenario("{ vus: 2, iterations: 1 }")
        #expect(throws: ShardError.self) { try few.sharded(#require(Shard(index: 3, count: 3))) }
        let pooled = try Self.scenario("{ vus: 9, iterations: 1 }", session: "session: { strategy: { pool: 4 } }\n")
        let pools = try (1...3).map { try pooled.sharded(#require(Shard(index: $0, count: 3))).session.strategy }
        #expect(pools == [.pool(2), .pool(1), .pool(1)])
    }

    @Test("a ceiling search is refused with a reason")
    func ceilingRefused() throws {
        let ceiling = try Self.scenario(
            "{ model: ceiling, start: 10/s, step: 10/s, hold: 1s, max: 50/s, until: [\"p99(ping) < 1s\"] }")
        #expect(throws: ShardError.self) { try ceiling.sharded(#require(Shard(index: 1, count: 2))) }
    }

    @Test("the open model's shards take every N-th arrival: together, exactly the schedule, ramps included")
    func openModel() throws {
        let whole = try Self.scenario(
            "{ model: open, rate: 10/s, stages: [{ to: 90/s, over: 2s }, { to: 90/s, over: 1s }], maxVUs: 5 }")
        let pacer = try #require(whole.load.pacer)
        var schedule: [Duration] = []
        while let offset = pacer.offset(ofArrival: schedule.count) { schedule.append(offset) }
        for count in [2, 3, 7] {
            var union: [Duration] = []
            var expected = 0.0
            var caps: [Int] = []
            for index in 1...count {
                let part = try whole.sharded(#require(Shard(index: index, count: count)))
                let shardPacer = try #require(part.load.pacer)
                var arrival = 0
                while let offset = shardPacer.offset(ofArrival: arrival) {
                    union.append(offset)
                    arrival += 1
                }
                expected += shardPacer.expectedArrivals
                caps.append(part.load.virtualClients)
            }
            #expect(union.sorted() == schedule, "\(count) shards")
            #expect(abs(expected - pacer.expectedArrivals) < Double(count))
            #expect(caps.allSatisfy { $0 >= 1 })
        }
    }
}
