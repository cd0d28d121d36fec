import Logging
import MCPLoadCore
import MCPLoadTransport

/// One simulated MCP client: opens sessions and loops the scenario's steps until the run says stop.
struct VirtualClient: Sendable {
    /// 1-based, as `{{vu}}` shows it.
    let index: Int
    let plan: RunPlan
    let connector: SessionConnector

    /// Runs to completion and hands back everything this client measured.
    func run() async -> Recorder {
        var progress = ClientProgress(recorder: plan.makeRecorder(virtualClient: index))
        progress.canary = plan.canaries.canary(of: index)
        let clock = ContinuousClock()
        while await hasWork(&progress) {
            if Task.isCancelled { break }
            let scope = SessionScope(virtualClient: index, plan: plan, setupStarted: clock.now)
            let start = progress
            do {
                let ((next, end), completion) = try await connector.withSession { transport in
                    await scope.run(on: transport, from: start)
                }
                let handshakeCompleted = next.recorder.session.opened > progress.recorder.session.opened
                progress = next
                // A session whose handshake failed never opened, so it is not counted as closed.
                if handshakeCompleted {
                    progress.recorder.session.closed += 1
                    plan.live.sessionClosed()
                }
                var lines = completion.stderrTail
                if !completion.termination.isEmpty && completion.termination != "exited(0)" {
                    lines.append("[server process ended: \(completion.termination)]")
                }
                progress.recorder.appendStderr(lines)
                log(end, handshakeCompleted: handshakeCompleted, termination: completion.termination)
                if end == .finished { break }
            } catch {
                let failure = (error as? Failure) ?? Failure(.notSent, "cannot start server: \(error)")
                plan.logger.info("client \(index): \(plan.redactor.redact(failure.message))")
                progress.recorder.recordSessionFailed(failure)
                if progress.recorder.session.attempts == 1 { plan.live.clientSettled() }
                progress.consecutiveSetupFailures += 1
                progress.abandonIteration()
            }
            if progress.consecutiveSetupFailures > 0 { await backOff(after: progress.consecutiveSetupFailures) }
        }
        return progress.recorder
    }

    private func log(_ end: SessionScope.End, handshakeCompleted: Bool, termination: String) {
        let logger = plan.logger
        if !handshakeCompleted {
            logger.info("client \(index): session could not be opened; server \(termination)")
        } else if !termination.isEmpty && termination != "exited(0)" {
            logger.info("client \(index): server ended abnormally: \(termination)")
        } else {
            logger.debug("client \(index): session ended (\(end)); server \(termination)")
        }
    }

    /// Runs on a session of the run's pool; ends when the run does or the session breaks.
    func run(sharing client: JSONRPCClient) async -> Recorder {
        var progress = ClientProgress(recorder: plan.makeRecorder(virtualClient: index))
        progress.canary = plan.canaries.canary(of: index)
        let scope = SessionScope(virtualClient: index, plan: plan, setupStarted: ContinuousClock.now)
        while await hasWork(&progress) {
            if Task.isCancelled { break }
            let (next, end) = await scope.run(onShared: client, from: progress)
            progress = next
            if end == .finished { break }
            // A pooled session cannot be replaced by one client: when it is gone, so is the client's work.
            if end == .broken, await client.closure != nil { break }
        }
        return progress.recorder
    }

    /// Whether there is work for a session: an iteration under way, or leave to start the next.
    /// A session is opened only once there is.
    private func hasWork(_ progress: inout ClientProgress) async -> Bool {
        if progress.isMidIteration || progress.nextStart != nil { return true }
        // Open model, per-client sessions: the session is opened before any arrival, as a
        // server's clients keep theirs, so iterations measure calls and not spawns.
        if let arrivals = plan.arrivals, plan.scenario.session.strategy == .perClient {
            return !arrivals.isOver && !plan.control.isDraining
        }
        progress.nextStart = await plan.nextIteration(for: index, after: progress.iteration)
        return progress.nextStart != nil
    }

    /// A server that cannot start must not be respawned in a tight loop for the whole run.
    private func backOff(after failures: Int) async {
        let delay = Duration.milliseconds(min(1000, 25 << min(failures, 6)))
        try? await Task.sleep(for: delay)
    }
}
