/// Decides, per request, which injected fault applies. Counts in arrival order, so the same
/// scenario against the same options injects the same faults: tests can count them exactly.
struct FaultSchedule: Sendable {
    enum Verdict: Equatable {
        case answer
        /// Answer with a malformed line instead.
        case garbage
        /// Exit without answering.
        case crash
        /// Answer under an id the client never sent, as if the answer were another session's.
        case misroute
    }

    let options: DemoServerOptions
    private var requests = 0
    private var toolCalls = 0
    private var errorsInjected = 0

    init(options: DemoServerOptions) {
        self.options = options
    }

    /// Called for every request as it arrives.
    mutating func admit() -> Verdict {
        if let crashAfter = options.crashAfter, requests >= crashAfter { return .crash }
        requests += 1
        if let every = options.garbageEvery, every > 0, requests % every == 0 { return .garbage }
        if let every = options.misrouteEvery, every > 0, requests % every == 0 { return .misroute }
        return .answer
    }

    /// Called for every tools/call: true when this one gets the injected -32603 error.
    /// Bresenham-style: after n calls exactly ⌊n × rate⌋ have failed.
    mutating func injectsError() -> Bool {
        guard options.errorRate > 0 else { return false }
        toolCalls += 1
        let due = Int((Double(toolCalls) * options.errorRate).rounded(.down))
        guard due > errorsInjected else { return false }
        errorsInjected = due
        return true
    }
}
