import MCPLoadCore
import MCPLoadJSONRPC

/// What a virtual client keeps besides its decisions: its measurements, the values it captured,
/// the iteration's transcript (for `history:`), its canary. The executor owns it; the state
/// machine says, through its effects, when parts of it start over.
struct ClientData: Sendable {
    var recorder: Recorder
    /// Values captured by earlier steps; they persist across iterations.
    var captured: [String: JSONValue] = [:]
    /// This client's `{{canary}}`.
    var canary = ""
    /// This client's `{{identity}}` (`auth:`); nil without identities.
    var identity: Int?
    /// `history:`: the iteration's exchanges so far, carried by its next requests, and their
    /// serialised size.
    private(set) var transcript: [JSONValue] = []
    private(set) var transcriptBytes = 0
    /// Steps' params this client renders the same way every time, encoded once, by step.
    private var encodedParams: [Int: EncodedParams] = [:]
    /// Draws each answer's retry jitter without a system call.
    var random = SplitMix64()

    init(recorder: Recorder, canary: String, identity: Int? = nil) {
        self.recorder = recorder
        self.canary = canary
        self.identity = identity
    }

    /// Adds an exchange to the transcript, keeping its size current.
    mutating func record(exchange entry: JSONValue) {
        transcriptBytes = HistoryCarry.size(afterAppending: entry, toSize: transcriptBytes, count: transcript.count)
        transcript.append(entry)
    }

    /// Step `index`'s params, rendered and encoded the first time it asks.
    mutating func encodedParams(ofStep index: Int, rendering: () -> JSONValue?) -> EncodedParams? {
        if let cached = encodedParams[index] { return cached }
        guard let params = rendering() else { return nil }
        let encoded = EncodedParams(params)
        encodedParams[index] = encoded
        return encoded
    }

    mutating func clearTranscript() {
        transcript = []
        transcriptBytes = 0
    }

    /// Notes what a transition of the machine asks besides its action.
    mutating func apply(_ effects: ClientStateMachine.Effects, run plan: RunPlan) {
        if effects.iterationCompleted { recorder.iterationsCompleted += 1 }
        if effects.iterationAbandoned { recorder.iterationsAbandoned += 1 }
        if effects.clearTranscript { clearTranscript() }
        if effects.sessionExpired { recorder.session.expired += 1 }
        if effects.clientSettled { plan.clientSettled() }
        if effects.iterationBegan, let lag = effects.startLag {
            recorder.startLag = recorder.startLag ?? LatencyHistogram()
            recorder.startLag?.record(lag)
        }
    }

    func templateContext(virtualClient: Int, iteration: Int) -> TemplateContext {
        TemplateContext(
            virtualClient: virtualClient, iteration: iteration + 1, captured: captured, canary: canary,
            identity: identity)
    }
}

/// A client's decisions and data together, by reference: every async frame of the client (its
/// loop, its session's scope, the steps) holds eight bytes instead of a copy of the machine and
/// the recorder, and no copy is left behind to share the recorder's buffers, whose first write
/// would then duplicate them (a recorder's worth of memory per client).
///
/// Unchecked Sendable: one client's task owns it; it crosses into the session's scope (a
/// `@Sendable` closure run by that same task, awaited before the client goes on) and back.
final class ClientState: @unchecked Sendable {
    var machine: ClientStateMachine
    var data: ClientData

    init(machine: ClientStateMachine, data: ClientData) {
        self.machine = machine
        self.data = data
    }

    /// Applies the machine's last effects to the data.
    func applyEffects(run plan: RunPlan) {
        data.apply(machine.effects, run: plan)
    }
}
