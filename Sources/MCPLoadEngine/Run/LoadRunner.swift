import Foundation
import MCPLoadCore
import MCPLoadTransport

/// Runs a plan end to end and turns the clients' recorders into a ``RunResult``.
package enum LoadRunner {
    package static func run(
        _ plan: RunPlan, runID: String = makeRunID(), scenarioFile: String? = nil
    ) async -> RunResult {
        let startedAt = Date()
        let clockAtStart = plan.clock.now
        let (measured, health) = await ResourceSampler.measuring(
            plan.live, clock: plan.clock, servers: plan.control.children, warmUpClients: warmUpClients(plan)
        ) { await driveWatched(plan) }
        // A drive that failed to start measured nothing; its failure is the verdict's reason.
        let driven: Driver.Outcome
        if case .success(let outcome) = measured.driven {
            driven = outcome
        } else {
            driven = Driver.Outcome(clients: [])
        }
        let (status, reason) = verdict(
            of: measured.driven, abortReason: measured.abortReason, draining: plan.control.isDraining)
        var result = RunResult(
            runID: runID,
            scenario: scenarioInfo(plan, file: scenarioFile),
            status: status,
            statusReason: reason,
            startedAt: startedAt,
            finishedAt: Date(),
            recorders: driven.clients,
            run: driven.run,
            loadStartedAt: plan.control.scheduledStart == nil
                ? nil
                : plan.control.loadTimes.map { wallClock($0.start, startedAt: startedAt, clockAtStart: clockAtStart) }
        )
        result.serverSessions = driven.serverSessions
        if var auth = driven.auth {
            // The clients' own view of the refusals is in their failure classes; the identities
            // counted the token side and what recovering cost.
            auth.identities =
                plan.auth?.identityCount(
                    virtualClients: plan.scenario.shard?.totalVirtualClients ?? plan.scenario.load.virtualClients)
                ?? auth.identities
            result.auth = auth
        }
        result.mcploadVersion = MCPLoadVersion.current
        result.shard = shardRecord(plan, startedAt: startedAt, clockAtStart: clockAtStart)
        result = result.redacted(by: plan.redactor)
        result.harness = health.harness
        result.serverResources = health.servers
        result.timeline = health.timeline
        result.abortedByThreshold = measured.abortReason
        result.thresholds = ThresholdEvaluator.evaluate(plan.scenario.thresholds, on: result)
        return result
    }

    /// An instant on the run's clock as a wall-clock time.
    private static func wallClock(_ instant: Duration, startedAt: Date, clockAtStart: Duration) -> Date {
        startedAt.addingTimeInterval((instant - clockAtStart).seconds)
    }

    /// A shard's part of the load and when it was ready and started, as wall-clock times.
    private static func shardRecord(_ plan: RunPlan, startedAt: Date, clockAtStart: Duration) -> ShardRecord? {
        guard let assignment = plan.scenario.shard else { return nil }
        func date(_ instant: Duration) -> Date { wallClock(instant, startedAt: startedAt, clockAtStart: clockAtStart) }
        let times = plan.control.loadTimes
        return ShardRecord(
            index: assignment.shard.index, count: assignment.shard.count,
            virtualClientOffset: assignment.virtualClientOffset, virtualClients: plan.scenario.load.virtualClients,
            totalVirtualClients: assignment.totalVirtualClients,
            scheduledStart: plan.control.scheduledStart.map(date), readyAt: times.map { date($0.ready) },
            loadStartedAt: times.map { date($0.start) },
            lateBySeconds: plan.control.scheduledStart.flatMap { scheduled in
                times.map { max(.zero, $0.start - scheduled).seconds }
            })
    }

    /// What the drive came to, and the `abortOnFail` threshold that stopped it, if one did.
    struct Watched: Sendable {
        var driven: Result<Driver.Outcome, Failure>
        var abortReason: String?
    }

    /// Drives the run with the abort watcher beside it when a threshold may stop the run.
    private static func driveWatched(_ plan: RunPlan) async -> Watched {
        let watched = plan.scenario.thresholds.filter(\.abortOnFail)
        return await withTaskGroup(of: String?.self) { group in
            if !watched.isEmpty {
                group.addTask { await AbortWatcher.watch(watched, live: plan.live, control: plan.control) }
            }
            let driven: Result<Driver.Outcome, Failure>
            do throws(Failure) {
                driven = .success(try await drive(plan))
            } catch {
                driven = .failure(error)
            }
            group.cancelAll()
            var abortReason: String?
            for await reason in group where reason != nil { abortReason = reason }
            return Watched(driven: driven, abortReason: abortReason)
        }
    }

    /// The run's status and why: not started (setup failed, or no session opened), aborted (a
    /// threshold or an interruption stopped it), or completed.
    static func verdict(
        of driven: Result<Driver.Outcome, Failure>, abortReason: String?, draining: Bool
    ) -> (RunResult.Status, String?) {
        let outcome: Driver.Outcome
        switch driven {
        case .failure(let failure): return (.notStarted, failure.message)
        case .success(let success): outcome = success
        }
        let opened = outcome.clients.reduce(0) { $0 + $1.session.opened } + outcome.run.sessions.opened
        if opened == 0 {
            let firstFailure = outcome.clients.lazy.compactMap { $0.session.setupFailures.examples.first }.first
            return (.notStarted, "no session could be opened" + (firstFailure.map { ": \($0.message)" } ?? ""))
        }
        if let abortReason {
            return (.aborted, abortReason + "; in-flight iterations were drained, no new ones started")
        }
        if draining { return (.aborted, "interrupted: in-flight iterations were drained, no new ones started") }
        return (.completed, nil)
    }

    /// Clients that keep their session (closed model, per client) start their servers first:
    /// the harness is judged once all of them have, not while ten servers start at once.
    private static func warmUpClients(_ plan: RunPlan) -> Int? {
        guard plan.scenario.load.pacer == nil, plan.scenario.session.strategy == .perClient else { return nil }
        return plan.scenario.load.virtualClients
    }

    /// Opens what the whole run shares (an HTTP client; the HTTP demo server) around the driver.
    private static func drive(_ plan: RunPlan) async throws(Failure) -> Driver.Outcome {
        let session = plan.scenario.session
        switch plan.target {
        case .stdio(let launch):
            return await Driver.run(plan, connector: .stdio(launch, plan.control.children))
        case .sharedStdio(let launch, let settings):
            return try await SharedServers.run(plan, launch: launch, settings: settings)
        case .http(let endpoint, let kind):
            return try await overHTTP(plan, endpoint: endpoint, kind: kind)
        case .demoHTTP(let launch, let kind):
            do {
                return try await StdioTransport.withServer(launch, in: plan.control.children) { connection in
                    let endpoint = try await ListeningAnnouncement.endpoint(
                        from: connection.inbound, within: session.setupTimeout)
                    return try await overHTTP(plan, endpoint: endpoint, kind: kind)
                }.value
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(.notSent, "the demo server did not start: \(error)")
            }
        case .httpServer(let launch, let endpoint, let kind):
            do {
                return try await StdioTransport.withServer(launch, in: plan.control.children) { connection in
                    try await overHTTP(plan, endpoint: endpoint, kind: kind, awaitingServer: connection)
                }.value
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(.notSent, "the server did not start: \(error)")
            }
        }
    }

    /// Runs the driver over HTTP; with `server`, first waits until the endpoint answers or the
    /// server exits, within the setup timeout.
    private static func overHTTP(
        _ plan: RunPlan, endpoint: String, kind: HTTPKind, awaitingServer server: StdioConnection? = nil
    ) async throws(Failure) -> Driver.Outcome {
        let session = plan.scenario.session
        var options = HTTPSessionOptions(
            endpoint: endpoint, maxMessageBytes: session.maxMessageBytes,
            headers: plan.headers.map { .init(name: $0.name, value: $0.value) },
            setupTimeout: session.setupTimeout)
        options.listen = session.listen
        options.endWithDelete = session.endWithDelete
        options.connectTimeout = session.connectTimeout ?? session.setupTimeout
        options.streamIdleTimeout = session.streamIdleTimeout
        options.redactor = plan.redactor
        options.replicaHeader = plan.scenario.target.replicaHeader
        let outcome: Result<Driver.Outcome, Failure>
        do {
            outcome = try await HTTPSessions.with(
                kind, options: options, virtualClients: plan.scenario.load.virtualClients
            ) { sessions in
                if let server {
                    let ready = await sessions.waitUntilListening(server, within: session.setupTimeout)
                    if case .failure(let failure) = ready { return .failure(failure) }
                }
                // Identities and their first tokens, before the load: not in its window.
                let identities: IdentityRegistry?
                switch await prepareIdentities(plan, sessions: sessions, endpoint: endpoint) {
                case .failure(let failure): return .failure(failure)
                case .success(let registry): identities = registry
                }
                let source = plan.scenario.target.sessionCount?.resolved(against: endpoint)
                var (outcome, counted) = await SessionCountScraper.watching(
                    source, live: plan.live, clock: plan.clock
                ) {
                    await withIdentitiesKeptFresh(identities, plan) {
                        await Driver.run(plan, connector: .http(sessions, identities))
                    }
                }
                outcome.serverSessions = counted
                outcome.auth = await identities?.statistics()
                return .success(outcome)
            }
        } catch {
            throw Failure(.notSent, "HTTP client failed: \(error)")
        }
        return try outcome.get()
    }

    /// The run's identities with their first tokens (nil without `auth:`), or why they have none.
    private static func prepareIdentities(
        _ plan: RunPlan, sessions: HTTPSessions, endpoint: String
    ) async -> Result<IdentityRegistry?, Failure> {
        guard let auth = plan.auth else { return .success(nil) }
        do throws(Failure) {
            let registry = try await IdentityRegistry.make(plan, auth: auth, http: sessions.oauth, endpoint: endpoint)
            if let failure = await registry.acquireAll() { return .failure(failure) }
            return .success(registry)
        } catch {
            return .failure(error)
        }
    }

    /// Runs `body` with the identities' proactive refresher beside it, stopped when it ends.
    private static func withIdentitiesKeptFresh(
        _ identities: IdentityRegistry?, _ plan: RunPlan, _ body: () async -> Driver.Outcome
    ) async -> Driver.Outcome {
        guard let identities else { return await body() }
        let stop = StopSignal()
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await identities.refreshProactively(clock: plan.clock, until: stop) }
            let outcome = await body()
            // Refreshes under way finish (within their timeout); no new one starts.
            stop.set()
            await group.waitForAll()
            return outcome
        }
    }

    /// `20261125-131502-4f2a`: sortable by time, unique enough for one results folder.
    package static func makeRunID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(formatter.string(from: now))-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }

    static func scenarioInfo(_ plan: RunPlan, file: String?) -> RunResult.ScenarioInfo {
        let scenario = plan.scenario
        let target: String
        switch scenario.target.launch {
        case .builtinDemo(let arguments):
            let mode = scenario.target.transport.isHTTP ? ["--http", "0"] : ["--stdio"]
            target = (["mcpload", "demo-server"] + mode + arguments).joined(separator: " ")
        case .command(let words): target = words.joined(separator: " ")
        case .url(let endpoint): target = endpoint
        case .httpCommand(let words, let endpoint): target = words.joined(separator: " ") + " → " + endpoint
        }
        return RunResult.ScenarioInfo(
            name: scenario.name,
            file: file,
            target: target,
            transport: scenario.target.transport.rawValue,
            virtualClients: scenario.load.virtualClients,
            iterations: scenario.load.iterations,
            durationSeconds: scenario.load.duration?.seconds,
            rampUpSeconds: scenario.load.rampUp.seconds,
            thinkSeconds: scenario.load.thinkTime.seconds,
            protocolVersion: scenario.initializeParameters.protocolVersion,
            topology: scenario.target.transport == .stdio ? scenario.target.topology.summary : nil,
            variant: scenario.variantLabel, variantAbout: scenario.variantAbout,
            arrivals: scenario.load.pacer?.summary)
    }
}
