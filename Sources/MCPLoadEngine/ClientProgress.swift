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

    init(recorder: Recorder) {
        self.recorder = recorder
    }

    var isMidIteration: Bool { step > 0 }

    mutating func completeIteration() {
        recorder.iterationsCompleted += 1
        iteration += 1
        step = 0
    }

    mutating func abandonIteration() {
        recorder.iterationsAbandoned += 1
        iteration += 1
        step = 0
    }

    func templateContext(virtualClient: Int) -> TemplateContext {
        TemplateContext(virtualClient: virtualClient, iteration: iteration + 1, captured: captured)
    }
}
