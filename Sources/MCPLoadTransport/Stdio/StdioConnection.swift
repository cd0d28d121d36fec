import MCPLoadCore
import MCPLoadJSONRPC
import Subprocess

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One running stdio server seen as a ``MessageTransport``: lines to its stdin, lines from its stdout.
package final class StdioConnection: MessageTransport {
    package let inbound: InboundQueue
    /// The server's process id, for resource sampling and diagnostics.
    package let processIdentifier: Int32
    private let writer: StandardInputWriter
    private let turns = SerialWriter()

    init(writer: StandardInputWriter, inbound: InboundQueue, processIdentifier: Int32) {
        self.writer = writer
        self.inbound = inbound
        self.processIdentifier = processIdentifier
    }

    package func send(_ message: [UInt8], awaiting id: JSONRPCID?) async throws(Failure) {
        var line = message
        line.append(UInt8(ascii: "\n"))
        do {
            try await turns.withTurn { () async throws(SubprocessError) in
                _ = try await writer.write(line)
            }
        } catch {
            // The server's stdin is gone (it exited, or closed it): the message never reached it.
            throw Failure(.notSent, "write to server stdin failed: \(error.code)")
        }
    }

    /// Kills the server's process group. Its exit ends every pending read and write on its pipes.
    package func abort() async {
        kill(-processIdentifier, SIGKILL)
        kill(processIdentifier, SIGKILL)
    }

    /// Closes the server's stdin: the spec's first step of a stdio shutdown.
    func closeInput() async {
        await turns.withTurn { () async in
            try? await writer.finish()
        }
    }
}
