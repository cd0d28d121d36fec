import ArgumentParser
import Foundation

/// Parses by hand rather than with `@main` so every usage error exits with status 2, as the
/// README promises, instead of argument-parser's default 64.
@main
enum EntryPoint {
    static func main() async {
        // A server that exits while we write to it must give us EPIPE, not kill mcpload.
        signal(SIGPIPE, SIG_IGN)
        raiseOpenFileLimit()
        do {
            var command = try MCPLoad.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as InputError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(ExitStatus.badInput)
        } catch {
            let code = MCPLoad.exitCode(for: error)
            let message = MCPLoad.fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(ExitStatus.ok)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(ExitStatus.badInput)
        }
    }

    /// Every stdio server costs three pipes; at a few hundred clients the usual soft limit of
    /// 1024 descriptors is the first thing to break. Load tools raise it to the hard limit.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
