import MCPLoadCore

/// Where a virtual client is in its work, carried from one session to the next.
struct ClientProgress: Sendable {
    var recorder: Recorder
    /// Iterations finished or abandoned so far.
    var iteration = 0
    /// The next step of the current iteration.
    var step = 0
    /// Values captured by earlier steps; they persist across iterations.
    var captured: [String: JSONValue] = [:]
    /// Setup failures in a row, for the back-off between attempts to open a session.
    var consecutiveSetupFailures = 0
    /// The next iteration's start, once granted (open model: the instant it was due).
    var nextStart: IterationStart?
    /// This client's `{{canary}}`.
    var canary = ""
    /// How late the current iteration started against its schedule (open model only): added
    /// to every latency of the iteration, so latencies count from the schedule, not the send.
    var startLag: Duration?

    init(recorder: Recorder) {
        self.recorder = recorder
    }

    /// `resend-history`: the step that failed and the attempt its retry will be; until it is
    /// reached, every request of the iteration is a re-send.
    var replay: (failedStep: Int, attempt: Int)?

    /// `history:`: the iteration's exchanges so far, carried by its next requests, and their
    /// serialised size.
    var transcript: [JSONValue] = [] {
        didSet { if transcript.isEmpty { transcriptBytes = 0 } }
    }
    var transcriptBytes = 0

    /// Adds an exchange to the transcript, keeping its size current.
    mutating func record(exchange entry: JSONValue) {
        transcriptBytes = HistoryCarry.size(afterAppending: entry, toSize: transcriptBytes, count: transcript.count)
        transcript.append(entry)
    }

    var isMidIteration: Bool { step > 0 || replay != nil }

    /// Begins the granted iteration now; false when none was granted.
    mutating func beginIteration(at now: ContinuousClock.Instant) -> Bool {
        guard let start = nextStart else { return false }
        nextStart = nil
        transcript = []
        startLag = start.due.map { max(.zero, now - $0) }
        return true
    }

    mutating func completeIteration() {
        recorder.iterationsCompleted += 1
        iteration += 1
        step = 0
        replay = nil
        transcript = []
    }

    /// Gives up the current iteration, or the one just granted if it never began (its session
    /// could not be opened): either way the grant is used up, so the next needs a new one.
    mutating func abandonIteration() {
        recorder.iterationsAbandoned += 1
        iteration += 1
        step = 0
        nextStart = nil
        replay = nil
        transcript = []
    }

    func templateContext(virtualClient: Int) -> TemplateContext {
        TemplateContext(virtualClient: virtualClient, iteration: iteration + 1, captured: captured, canary: canary)
    }
}

/// Leave to start an iteration: now (closed model), or at an instant the schedule set (open).
struct IterationStart: Sendable, Equatable {
    /// When the open model's schedule wanted the iteration to start; nil in the closed model.
    var due: ContinuousClock.Instant?
}
