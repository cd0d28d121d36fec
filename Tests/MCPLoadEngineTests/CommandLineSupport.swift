import Foundation

/// Runs the `mcpload` binary as a user does, for the suites that test it from the outside.
enum CommandLineSupport {
    struct Finished {
        var status: Int32
        var output: String
        var errors: String
    }

    static func mcpload(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) async throws -> Finished {
        try await command(TestSupport.mcploadExecutable, arguments, in: directory, environment: environment)
    }

    /// Runs `executable` to its end on a thread of its own: waiting for a process blocks, and a
    /// blocked thread of Swift's cooperative pool (two on two cores) would stall every other
    /// test's run in this process.
    static func command(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) async throws -> Finished {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                // A child inherits its spawning thread's signal mask; the test process's threads
                // block some (SIGTERM among them), and a child that cannot be stopped by SIGTERM
                // is not the child a user's shell would start.
                var unblocked = sigset_t()
                sigemptyset(&unblocked)
                pthread_sigmask(SIG_SETMASK, &unblocked, nil)
                continuation.resume(
                    with: Result {
                        try runToEnd(executable, arguments, in: directory, environment: environment)
                    })
            }
        }
    }

    private static func runToEnd(
        _ executable: String, _ arguments: [String], in directory: String?, environment: [String: String]
    ) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are drained at once, so a chatty process cannot block on a full one.
        let collected = DispatchGroup()
        nonisolated(unsafe) var err = Data()
        collected.enter()
        DispatchQueue.global().async {
            err = errors.fileHandleForReading.readDataToEndOfFile()
            collected.leave()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        collected.wait()
        process.waitUntilExit()
        return Finished(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    /// Starts mcpload (or `executable`) in `directory` without waiting for it; its output is discarded.
    static func start(
        _ arguments: [String], in directory: String, environment: [String: String] = [:],
        executable: String = TestSupport.mcploadExecutable
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mcpload-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Waits for something outside the test (a process starting or ending) to happen, at most a
    /// minute: a synchronisation on the event, never a measure of how long it took.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let start = ContinuousClock.now
        while !condition() && ContinuousClock.now - start < .seconds(60) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// Everything a run showed: its stdout, its stderr and every file it wrote under `directory`.
    static func everyOutput(of finished: Finished, files directory: String) -> [String] {
        [finished.output, finished.errors] + filesText(in: directory).map(\.text)
    }

    /// Every file under `directory`, as text, with its path: to look for what must not be there.
    static func filesText(in directory: String) -> [(path: String, text: String)] {
        let root = URL(fileURLWithPath: directory)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        return enumerator.compactMap { item -> (String, String)? in
            guard let url = item as? URL, let data = try? Data(contentsOf: url) else { return nil }
            return (url.path, String(decoding: data, as: UTF8.self))
        }
    }
}
