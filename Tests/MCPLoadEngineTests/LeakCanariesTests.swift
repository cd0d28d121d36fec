import MCPLoadCore
import Testing

@testable import MCPLoadEngine

/// Canaries name their run and their client: a run's own, or another shard's of the same run.
@Suite("Leak canaries")
struct LeakCanariesTests {
    @Test("a whole run's canaries are its own; another run's are nobody's")
    func wholeRun() {
        let run = LeakCanaries(clients: 3)
        let other = LeakCanaries(clients: 3)
        let values = (1...3).map(run.canary(of:))
        #expect(Set(values).count == 3)
        #expect(values.map(run.owner(of:)) == [1, 2, 3])
        #expect(values.allSatisfy { $0.utf8.count == LeakCanary.prefix.utf8.count + 16 })
        #expect(other.owner(of: values[0]) == nil)
        #expect(run.canary(of: 0).isEmpty && run.canary(of: 4).isEmpty)
        for garbage in ["mcpl-canary-", "mcpl-canary-zzzzzzzz00000001", "mcpl-canary-0123", "x"] {
            #expect(run.owner(of: garbage) == nil, "\(garbage)")
        }
    }

    @Test("shards of one run share its part: each knows the other's canaries by their {{vu}}")
    func acrossShards() throws {
        let whole = try ScenarioParser(file: "s.yaml").parse(
            yaml: "name: n\ntarget: { builtin: demo }\nload: { vus: 5, iterations: 1 }\nsteps: [ping]")
        let first = try whole.sharded(#require(Shard(index: 1, count: 2)))
        let second = try whole.sharded(#require(Shard(index: 2, count: 2)))
        let one = LeakCanaries(clients: first.load.virtualClients, shard: first.shard, scenarioName: first.name)
        let two = LeakCanaries(clients: second.load.virtualClients, shard: second.shard, scenarioName: second.name)
        // Shard 2's first client is the run's client 4: its canary says so, in both shards.
        #expect(two.owner(of: two.canary(of: 1)) == 4)
        #expect(one.owner(of: two.canary(of: 1)) == 4)
        #expect(two.owner(of: one.canary(of: 3)) == 3)
        #expect(one.canary(of: 1) != two.canary(of: 1))
    }
}

@Suite("Canary crossings")
struct CanaryCrossingTests {
    @Test(
        "with identities, a canary of another client of the same identity crosses sessions; of another identity, identities"
    )
    func crossings() {
        // Four clients, two identities: 1 and 3 are identity 1, 2 and 4 identity 2.
        #expect(LeakAccounting.crossing(nil, 1, 2) == .none)
        #expect(LeakAccounting.crossing(1, 1, 2) == .none)
        #expect(LeakAccounting.crossing(3, 1, 2) == .session)
        #expect(LeakAccounting.crossing(2, 1, 2) == .identity)
        #expect(LeakAccounting.crossing(4, 3, 2) == .identity)
        // Without identities every other client's canary crosses sessions.
        #expect(LeakAccounting.crossing(2, 1, nil) == .session)
    }
}
