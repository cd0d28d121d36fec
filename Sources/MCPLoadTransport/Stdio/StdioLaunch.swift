/// How to start one stdio server process and how to stop it.
package struct StdioLaunch: Sendable, Hashable {
    /// The executable (a path, or a name looked up in PATH) followed by its arguments.
    package var command: [String]
    /// Added to mcpload's own environment.
    package var environment: [String: String]
    package var workingDirectory: String?
    package var maxMessageBytes: Int
    /// After stdin closes, how long the server gets to exit before SIGTERM, and again before SIGKILL.
    package var shutdownGrace: Duration
    /// How many of the server's last stderr lines to keep.
    package var stderrTailLines: Int

    package init(
        command: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        maxMessageBytes: Int = 16 << 20,
        shutdownGrace: Duration = .seconds(2),
        stderrTailLines: Int = 20
    ) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.maxMessageBytes = maxMessageBytes
        self.shutdownGrace = shutdownGrace
        self.stderrTailLines = stderrTailLines
    }
}
