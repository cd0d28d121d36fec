import ArgumentParser
import Foundation
import MCPLoadTransport

/// Parses by hand rather than with `@main` so every usage error exits with status 2, as the
/// README promises, instead of argument-parser's default 64.
@main
enum EntryPoint {
    static func main() async {
        // A server that exits while we write to it must give us EPIPE, not kill mcpload.
        signal(SIGPIPE, SIG_IGN)
        raiseOpenFileLimit()
        // Started with the first server: whatever ends mcpload, its servers end with it.
        ProcessGuardian.install(command: [ownExecutable, "guardian"])
        var command: any ParsableCommand
        do {
            command = try MCPLoad.parseAsRoot()
        } catch {
            // Usage errors, --help and --version: argument-parser's words, our exit codes.
            let message = MCPLoad.fullMessage(for: error)
            if MCPLoad.exitCode(for: error) == .success {
                print(message)
                Foundation.exit(ExitStatus.ok)
            }
            fail(message, status: ExitStatus.badInput)
        }
        // A closed-model run's tasks on the event loops that carry its I/O (EventLoopExecutor);
        // decided here, on the main thread, before the command starts any task.
        if let run = command as? RunCommand, run.runsOnEventLoops(ProcessInfo.processInfo.environment) {
            EventLoopExecutor.install()
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as InputError {
            fail(error.description, status: ExitStatus.badInput)
        } catch let error as OutputError {
            fail("mcpload: \(error.description)", status: ExitStatus.outputFailed)
        } catch let error as ValidationError {
            fail(MCPLoad.fullMessage(for: error), status: ExitStatus.badInput)
        } catch {
            // `mcpload run --help` parses as argument-parser's help command, whose run throws
            // the help "error": its words, exit 0; its usage errors are bad input.
            switch MCPLoad.exitCode(for: error) {
            case .success:
                print(MCPLoad.fullMessage(for: error))
                Foundation.exit(ExitStatus.ok)
            case .validationFailure:
                fail(MCPLoad.fullMessage(for: error), status: ExitStatus.badInput)
            default:
                // Not the user's input, not the server's doing: a bug of ours, said as such.
                fail("mcpload: internal error: \(error); please report it", status: ExitStatus.internalError)
            }
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
    }

    /// This executable, for the helpers mcpload starts from it. Linux's `/proc/self/exe`
    /// stays valid even if the file is replaced (a rebuild) while mcpload runs.
    static var ownExecutable: String {
        #if os(Linux)
        "/proc/self/exe"
        #else
        Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
        #endif
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
