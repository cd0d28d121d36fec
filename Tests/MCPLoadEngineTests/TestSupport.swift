import Foundation
import MCPLoadCore
import MCPLoadEngine
import MCPLoadTransport
import Testing

/// Paths and helpers the end-to-end tests share.
enum TestSupport {
    /// The `mcpload` binary built beside this test bundle (the test target depends on it).
    static var mcploadExecutable: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("mcpload").path
    }

    /// The project's local venv, created by scripts/test; nil when absent.
    static var pythonVenv: String? {
        if let configured = ProcessInfo.processInfo.environment["MCPLOAD_TEST_VENV"] {
            return configured
        }
        let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv").path
        return FileManager.default.fileExists(atPath: local + "/bin/python") ? local : nil
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The venv with `mcp<2`, `mcp-proxy` and FastMCP, created by scripts/test; nil when absent.
    static var legacyPythonVenv: String? {
        if let configured = ProcessInfo.processInfo.environment["MCPLOAD_TEST_LEGACY_VENV"] { return configured }
        let local = repositoryRoot.appendingPathComponent(".venv-legacy").path
        return FileManager.default.fileExists(atPath: local + "/bin/python") ? local : nil
    }

    static var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .path
    }

    static func scenario(_ yaml: String) throws -> Scenario {
        try ScenarioParser(file: "test.yaml").parse(yaml: yaml)
    }

    /// Runs a scenario in-process, its servers as real child processes.
    static func run(_ yaml: String) async throws -> RunResult {
        await run(try scenario(yaml))
    }

    static func run(_ scenario: Scenario) async -> RunResult {
        let control = RunControl(iterationsPerClient: scenario.load.iterations, duration: scenario.load.duration)
        // As the CLI does: headers resolved from the environment, their values redacted.
        let environment = ProcessInfo.processInfo.environment
        let resolved = try? scenario.target.resolvedHeaders(environment: environment)
        let auth = scenario.auth.flatMap { settings in
            try? ResolvedAuth.resolve(
                settings, identities: settings.identities ?? scenario.load.virtualClients, environment: environment
            ) { path in try String(contentsOfFile: path, encoding: .utf8) }
        }
        let plan = RunPlan(
            scenario: scenario, target: RunPlan.resolve(scenario, demoExecutable: mcploadExecutable), control: control,
            headers: resolved?.headers ?? [], redactor: (resolved?.redactor ?? .none).adding(auth?.secrets ?? []),
            auth: auth)
        let result = await LoadRunner.run(plan)
        // No server this run started may outlive it.
        #expect(control.children.running.isEmpty)
        #expect(control.children.survivors().isEmpty, "server processes outlived the run")
        return result
    }

    /// Process ids of this process's children that are still alive (zombies excluded).
    static func liveChildren(of pid: Int32 = getpid()) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task -> [Int32] in
            let text = procFile("/proc/\(pid)/task/\(task)/children")
            return text.split(separator: " ").compactMap { Int32($0) }
        }
        return children.filter { child in
            let status = procFile("/proc/\(child)/stat")
            // Field 3 is the state; Z is a zombie awaiting its reaper, not a running process.
            guard let close = status.lastIndex(of: ")") else { return false }
            return !status[close...].dropFirst(2).hasPrefix("Z")
        }
    }

    /// A loopback port nothing listens on right now, for a server the test starts.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on this loopback port.
    static func listens(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: UInt16(port))
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port.bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A /proc file's text. /proc reports a size of 0, so read until end of file rather than by size.
    static func procFile(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Processes anywhere on the machine whose working directory is `directory`.
    static func processes(in directory: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) == directory
        }
    }
}
