import MCPLoadCore

extension ClientStateMachine {
    /// The first action of a client.
    mutating func start(_ context: RunContext) -> Action {
        effects = Effects()
        return lookForWork(context)
    }

    /// The action that follows `event`; ``effects`` says what else the executor notes.
    mutating func handle(_ event: Event, _ context: RunContext) -> Action {
        effects = Effects()
        switch (state, event) {
        case (.awaitingIteration(let inSession), .iterationGranted(let start)):
            progress.granted = start
            return inSession ? iterate(context) : open()
        case (.awaitingIteration(let inSession), .iterationRefused):
            return inSession ? close(then: .finish) : finish()
        case (.opening, .sessionOpened):
            settle()
            progress.consecutiveSetupFailures = 0
            state = .inSession
            return iterate(context)
        case (.opening, .sessionFailed):
            settle()
            progress.consecutiveSetupFailures += 1
            // The iteration it was opened for (or the one granted) is used up.
            abandonIteration()
            return close(then: .backOff)
        case (.opening, .sessionLost):
            return finish()
        case (.closing(let then), .sessionClosed):
            switch then {
            case .goOn: return lookForWork(context)
            case .finish: return finish()
            case .backOff:
                // A server that cannot start must not be respawned in a tight loop for the whole run.
                let failures = min(progress.consecutiveSetupFailures, 6)
                return pause(.milliseconds(min(1000, 25 << failures)), .setupBackoff, then: .openAgain)
            }
        case (.pausing(_, let then), .pauseEnded):
            return resume(after: then, context)
        case (.inSession, .answered(let outcome, let jitter)):
            return answered(outcome, jitter: jitter, context)
        case (.reauthenticating(let refusal), .reauthenticated(let failure)):
            state = .inSession
            // No new token, or a drain that began meanwhile: the refusal (or why no token came) stands.
            guard failure == nil, !context.draining else {
                return answered(.failure(failure ?? refusal), jitter: 0, context)
            }
            // The same attempt, with the new token: it is a re-send, not a retry of the policy.
            return .send(
                StepAttempt(index: progress.step, attempt: progress.attempt, isResend: true, awaitsAnswer: true))
        default:
            // The executor only ever answers the action it was given.
            assertionFailure("event \(event) in state \(state)")
            return finish()
        }
    }

    // MARK: Sessions and iterations

    /// With no session open: open one when there is work for it, else ask for an iteration.
    private mutating func lookForWork(_ context: RunContext) -> Action {
        if progress.isMidIteration && context.draining {
            // Draining: an iteration to replay on a new session is given up, not reopened.
            abandonIteration()
            return finish()
        }
        if progress.isMidIteration || progress.granted != nil { return open() }
        if configuration.opensSessionFirst {
            // The open model's schedule decides when work ends; the closed model's bounds do.
            let over = configuration.isOpenModel ? context.scheduleOver || context.draining : !mayStartAnother(context)
            return over ? finish() : open()
        }
        state = .awaitingIteration(inSession: false)
        return .awaitIteration
    }

    /// On an open session, at an iteration's edge: go on with it, or begin the next.
    private mutating func iterate(_ context: RunContext) -> Action {
        state = .inSession
        if progress.step >= configuration.steps.count { return completeIteration(context, thenClose: false) }
        if progress.isMidIteration {
            // A session opened in the middle of an iteration (a replay, a reconnect): while
            // draining, the iteration is given up rather than carried on.
            if context.draining {
                abandonIteration()
                return close(then: .finish)
            }
            return startStep(context)
        }
        guard let start = progress.granted else {
            state = .awaitingIteration(inSession: true)
            return .awaitIteration
        }
        progress.granted = nil
        progress.startLag = start.due.map { max(.zero, context.now - $0) }
        effects.iterationBegan = true
        effects.startLag = progress.startLag
        effects.clearTranscript = true
        return startStep(context)
    }

    /// The current step, from its first attempt (or, replaying, as the attempt it is due).
    private mutating func startStep(_ context: RunContext) -> Action {
        guard progress.step < configuration.steps.count else { return completeIteration(context, thenClose: false) }
        progress.attempt = 1
        progress.isResend = false
        progress.reauthenticated = false
        if let replay = progress.replay {
            progress.isResend = true
            if progress.step == replay.failedStep {
                progress.attempt = replay.attempt
                progress.replay = nil
            }
        }
        switch configuration.steps[progress.step] {
        case .initialize:
            progress.step += 1
            return startStep(context)
        case .think(let pause):
            return self.pause(pause, .thinkStep, then: .nextStep)
        case .reconnect:
            progress.step += 1
            guard progress.step < configuration.steps.count else { return completeIteration(context, thenClose: true) }
            return close(then: .goOn)
        case .request:
            return sendCurrent(awaitsAnswer: true)
        case .fireAndForget:
            return sendCurrent(awaitsAnswer: false)
        }
    }

    private func sendCurrent(awaitsAnswer: Bool) -> Action {
        .send(
            StepAttempt(
                index: progress.step, attempt: progress.attempt, isResend: progress.attempt > 1 || progress.isResend,
                awaitsAnswer: awaitsAnswer))
    }

    /// The iteration is done: counted, then think time (closed model, when another may start),
    /// then the next iteration on this session or, as the strategy wants, on a new one.
    private mutating func completeIteration(_ context: RunContext, thenClose: Bool) -> Action {
        effects.iterationCompleted = true
        effects.clearTranscript = true
        progress.iteration += 1
        progress.step = 0
        progress.replay = nil
        let closes = thenClose || configuration.strategy != .perClient
        let think = configuration.thinkTime
        if think > .zero, !configuration.isOpenModel, mayStartAnother(context) {
            return pause(think, .thinkTime, then: closes ? .closeAndGoOn : .nextIteration)
        }
        return closes ? close(then: .goOn) : iterate(context)
    }

    /// Gives up the current iteration, or the one granted if it never began: either way the
    /// leave is used up.
    private mutating func abandonIteration() {
        effects.iterationAbandoned = true
        effects.clearTranscript = true
        progress.iteration += 1
        progress.step = 0
        progress.granted = nil
        progress.replay = nil
    }

    private func mayStartAnother(_ context: RunContext) -> Bool {
        if context.draining || context.deadlinePassed { return false }
        return configuration.iterationsPerClient.map { progress.iteration < $0 } ?? true
    }

    // MARK: Answers and retries

    private mutating func answered(_ outcome: Outcome, jitter: Double, _ context: RunContext) -> Action {
        if let failure = outcome.failure, failure.failureClass == .auth, failure.refusal != nil,
            configuration.reauthenticates, !progress.reauthenticated, !context.draining,
            case .request = configuration.steps[progress.step]
        {
            progress.reauthenticated = true
            state = .reauthenticating(failure)
            return .reauthenticate(failure)
        }
        guard case .request = configuration.steps[progress.step], let failure = outcome.failure,
            let policy = configuration.retry, progress.attempt < policy.attempts, policy.retries(failure),
            !context.draining, policy.mode == .resendHistory || !Self.endsSession(failure)
        else { return stepDone(outcome, context) }
        progress.pendingRetry = outcome
        let wait = policy.delay(beforeRetry: progress.attempt, retryAfter: failure.retryAfter, unit: jitter)
        return pause(wait, .retryBackoff, then: .retry)
    }

    /// After a retry's backoff: the failed step again, on this session or (resend-history) a
    /// new one where the iteration is replayed up to it.
    private mutating func retry(_ context: RunContext) -> Action {
        let outcome = progress.pendingRetry ?? .success
        progress.pendingRetry = nil
        // A drain that began during the backoff: the failure stands, nothing more is tried.
        guard !context.draining, let policy = configuration.retry else { return stepDone(outcome, context) }
        if policy.mode == .resendHistory {
            progress.replay = Replay(failedStep: progress.step, attempt: progress.attempt + 1)
            progress.step = 0
            // The replay rebuilds the transcript as it goes.
            effects.clearTranscript = true
            return close(then: .goOn)
        }
        progress.attempt += 1
        progress.isResend = false
        progress.reauthenticated = false
        return sendCurrent(awaitsAnswer: true)
    }

    /// The step's final outcome: on to the next step, or the session ends (it broke, or the
    /// strategy closes it after every request).
    private mutating func stepDone(_ outcome: Outcome, _ context: RunContext) -> Action {
        let kind = configuration.steps[progress.step]
        if let failure = outcome.failure {
            if failure.failureClass == .httpStatus && failure.code == 404 { effects.sessionExpired = true }
            if Self.endsSession(failure) {
                abandonIteration()
                return close(then: .goOn)
            }
        }
        progress.step += 1
        if configuration.strategy == .perRequest && kind == .request {
            guard progress.step < configuration.steps.count else { return completeIteration(context, thenClose: true) }
            return close(then: .goOn)
        }
        return startStep(context)
    }

    /// Whether a failure leaves nothing more to say on its session: EOF, an exit or a failed
    /// write, or a server that no longer knows the session (HTTP 404, the spec's signal to
    /// initialize anew). A slow, wrong or rude answer leaves the connection usable.
    static func endsSession(_ failure: Failure) -> Bool {
        switch failure.failureClass {
        case .transport, .notSent: true
        case .httpStatus: failure.code == 404
        default: false
        }
    }

    // MARK: Helpers

    private mutating func resume(after then: AfterPause, _ context: RunContext) -> Action {
        switch then {
        case .nextStep:
            state = .inSession
            progress.step += 1
            return startStep(context)
        case .nextIteration: return iterate(context)
        case .closeAndGoOn: return close(then: .goOn)
        case .retry:
            state = .inSession
            return retry(context)
        case .openAgain: return lookForWork(context)
        }
    }

    private mutating func open() -> Action {
        state = .opening
        progress.sessionsTried += 1
        return .openSession
    }

    /// The first session tried, opened or not (or the client done without one): the client's
    /// start-up is over.
    private mutating func settle() {
        guard !progress.settled else { return }
        progress.settled = true
        effects.clientSettled = true
    }

    private mutating func close(then: AfterClose) -> Action {
        state = .closing(then: then)
        return .closeSession
    }

    private mutating func pause(_ duration: Duration, _ kind: Pause, then: AfterPause) -> Action {
        state = .pausing(kind, then: then)
        return .pause(duration, kind)
    }

    private mutating func finish() -> Action {
        settle()
        state = .finished
        return .finish
    }
}
