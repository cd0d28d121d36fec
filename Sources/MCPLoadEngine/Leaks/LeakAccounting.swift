import MCPLoadCore
import MCPLoadJSONRPC

/// Counts the leaks of one request, both ways, into the client's own tally.
enum LeakAccounting {
    /// The request's params are scanned for values the server exposed to this client before
    /// (retransmitted); the answer for everything it exposes, and for other clients' canaries.
    static func record(
        request: JSONValue?, answer: JSONValue?, step: String, scanner: LeakScanner, plan: RunPlan,
        virtualClient: Int, recorder: inout Recorder
    ) {
        // Mutated in place: a copy taken out and written back would copy the tally's sets of
        // fingerprints on every request, a cost that grows with every distinct value seen.
        if recorder.leaks == nil { recorder.leaks = LeakTally() }
        // Nothing exposed to this client yet: nothing it sends can be a re-send.
        if let request, recorder.leaks?.hasExposures == true {
            for hit in scanner.scan(request)
            where recorder.leaks?.wasExposed(
                LeakRedaction.fingerprint(hit.value, salt: plan.leakSalt), by: hit.detector) == true
            {
                recorder.leaks?.retransmitted(hit, step: step)
            }
        }
        if let answer {
            for hit in scanner.scan(answer) {
                let fingerprint = LeakRedaction.fingerprint(hit.value, salt: plan.leakSalt)
                let owner = hit.detector == .canary ? plan.canaries.owner(of: hit.value) : nil
                recorder.leaks?.exposed(
                    hit, fingerprint: fingerprint, crossing: crossing(owner, virtualClient, plan.identityCount),
                    step: step)
            }
        }
    }

    /// Where a canary of client `owner` (nil: not a canary of this run) went, as seen by
    /// `virtualClient`; with identities, across identities is told apart from across sessions.
    static func crossing(_ owner: Int?, _ virtualClient: Int, _ identities: Int?) -> CanaryCrossing {
        guard let owner, owner != virtualClient else { return .none }
        guard let identities else { return .session }
        let ownerIdentity = AuthSettings.identity(ofClient: owner, among: identities)
        let receiver = AuthSettings.identity(ofClient: virtualClient, among: identities)
        return ownerIdentity == receiver ? .session : .identity
    }
}
