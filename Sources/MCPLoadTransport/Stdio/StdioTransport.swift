import MCPLoadCore
import Subprocess

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a stdio MCP server for the duration of a closure, and stops it on every path.
///
/// Shutdown follows the MCP spec: close stdin, wait, SIGTERM, wait, SIGKILL. The server runs in
/// its own process group so a terminal's Ctrl-C reaches mcpload alone; mcpload then drains and
/// stops its servers itself (or kills them outright on a second Ctrl-C, via
/// ``ChildProcessRegistry``).
package enum StdioTransport {
    /// What the closure produced, and what the server said on stderr meanwhile.
    package struct Completion<Value: Sendable>: Sendable {
        package var value: Value
        package var stderrTail: [String]
        /// How the server process ended, e.g. `exited(0)` or `unhandledException(9)` for SIGKILL.
        package var termination = ""
    }

    /// Spawns the server, hands its connection to `body`, then shuts the server down.
    ///
    /// - Throws: a `not_sent` ``Failure`` when the server cannot be started; whatever `body` throws.
    package static func withServer<Value: Sendable>(
        _ launch: StdioLaunch, in children: ChildProcesses,
        body: @Sendable (StdioConnection) async throws -> Value
    ) async throws -> Completion<Value> {
        guard let executable = launch.command.first, !executable.isEmpty else {
            throw Failure(.notSent, "no server command given")
        }
        _ = ignoreBrokenPipes
        var options = PlatformOptions()
        options.processGroupID = 0
        // The server leads its own process group, so signalling the group is safe and reaches
        // whatever it spawned in turn.
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: launch.shutdownGrace)
        ]
        let environment = Environment.inherit.updating(
            Dictionary(
                uniqueKeysWithValues: launch.environment.compactMap { key, value in
                    Environment.Key(rawValue: key).map { ($0, Optional(value)) }
                }))
        let stdout = try ServerPipe()
        let stderr = try ServerPipe()
        defer {
            stdout.closeChildEnd()
            stderr.closeChildEnd()
        }
        do {
            let execution = try await Subprocess.run(
                executable.contains("/") ? .path(.init(executable)) : .name(executable),
                arguments: Arguments(Array(launch.command.dropFirst())),
                environment: environment,
                workingDirectory: launch.workingDirectory.map { .init($0) },
                platformOptions: options,
                input: .inputWriter,
                output: .fileDescriptor(.init(rawValue: stdout.childEnd), closeAfterSpawningProcess: false),
                error: .fileDescriptor(.init(rawValue: stderr.childEnd), closeAfterSpawningProcess: false)
            ) { execution in
                // The child has its copies now; ours must go for the pipes to end when it does.
                stdout.closeChildEnd()
                stderr.closeChildEnd()
                return try await serve(
                    execution, stdout: stdout, stderr: stderr, launch: launch, children: children, body: body)
            }
            var completion = execution.closureResult
            completion.termination = "\(execution.terminationStatus)"
            return completion
        } catch let error as SubprocessError {
            throw Failure(.notSent, "cannot start server '\(executable)': \(describe(error))")
        }
    }

    private static func serve<Value: Sendable>(
        _ execution: Execution<CustomWriteInput, FileDescriptorOutput, FileDescriptorOutput>,
        stdout: ServerPipe, stderr: ServerPipe, launch: StdioLaunch, children: ChildProcesses,
        body: @Sendable (StdioConnection) async throws -> Value
    ) async throws -> Completion<Value> {
        let pid = execution.processIdentifier.value
        children.register(pid)
        defer { children.unregister(pid) }

        let inbound = InboundQueue()
        let connection = StdioConnection(
            writer: execution.standardInputWriter, inbound: inbound, processIdentifier: pid)
        return try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask {
                await StdoutPump.run(stdout, maxMessageBytes: launch.maxMessageBytes, into: inbound)
                return nil
            }
            group.addTask {
                await StderrTail.collect(stderr, keeping: launch.stderrTailLines)
            }
            let pidfd = Self.processDescriptor(of: execution)
            group.addTask {
                // A server that exits mid-session: its output is complete once it has gone,
                // unless a process it started (left running, or escaped from its group) still
                // holds the pipes; then reading ends after a grace period, and the session
                // learns that its server is gone instead of waiting on the child.
                guard await ProcessExits.shared.waitForExit(pidfd: pidfd) else { return nil }
                await drain([stdout, stderr], within: launch.shutdownGrace, because: Self.heldOpen)
                return nil
            }
            let outcome: Result<Value, any Error>
            do {
                outcome = .success(try await body(connection))
            } catch {
                outcome = .failure(error)
            }
            await stop(
                execution, pid: pid, connection: connection, pipes: [stdout, stderr], grace: launch.shutdownGrace)
            var tail: [String] = []
            while let finished = try await group.next() {
                if let lines = finished { tail = lines }
            }
            return Completion(value: try outcome.get(), stderrTail: tail)
        }
    }

    /// Ends a session's server: stdin closed, the shutdown sequence, then the rest of its process
    /// group and the descendants that left it; the wait for its pipes is bounded.
    private static func stop(
        _ execution: Execution<CustomWriteInput, FileDescriptorOutput, FileDescriptorOutput>, pid: Int32,
        connection: StdioConnection, pipes: [ServerPipe], grace: Duration
    ) async {
        // What the server started, found while it still runs: a child that left its process
        // group (a daemon) is out of reach of the group's signals below.
        let descendants = ProcessTree.descendants(of: pid)
        await connection.closeInput()
        await execution.teardown(using: shutdownSequence(grace: grace))
        // The teardown stops at the server's own exit; whatever it started in its group goes
        // too, even a process that ignores SIGTERM. (The group outlives its leader's reaping
        // only while it has members, so its id cannot have been reused yet.)
        kill(-pid, SIGKILL)
        ProcessTree.kill(descendants)
        // The server has exited: whatever still holds its pipes, the wait for them is bounded.
        await drain(pipes, within: grace, because: Self.heldOpen)
    }

    private static let heldOpen = "the server exited, but a process it started holds its output open"

    /// The server's pidfd, where the platform has one (-1 otherwise).
    private static func processDescriptor(
        of execution: Execution<CustomWriteInput, FileDescriptorOutput, FileDescriptorOutput>
    ) -> CInt {
        #if os(Linux)
        execution.processIdentifier.processDescriptor
        #else
        -1
        #endif
    }

    /// Waits for `pipes` to end, at most `grace`; stops reading those still open after it.
    private static func drain(_ pipes: [ServerPipe], within grace: Duration, because reason: String) async {
        let ended: Void? = await withTimeout(grace) {
            for pipe in pipes { await pipe.finished.wait() }
        }
        if ended == nil { for pipe in pipes { pipe.stopReading(because: reason) } }
    }

    /// stdin is already closed; a well-behaved server exits within the first grace period.
    /// `SIGCONT` is the no-op signal that lets the teardown sequence wait without acting. The
    /// final SIGKILL goes to the whole group, like every step.
    static func shutdownSequence(grace: Duration) -> [TeardownStep] {
        [
            .send(signal: .resume, toProcessGroup: true, allowedDurationToNextStep: grace),
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: grace),
        ]
    }

    /// A write to a server that just died must fail with EPIPE, not kill the whole process with
    /// SIGPIPE. Pipes have no per-descriptor opt-out, so it is set once for the process.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func describe(_ error: SubprocessError) -> String {
        if error.code == .executableNotFound { return "executable not found" }
        if let underlying = error.underlyingError { return "\(error.code) (\(underlying))" }
        return "\(error.code)"
    }
}
