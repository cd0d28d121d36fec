import MCPLoadCore
import MCPLoadJSONRPC

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// mcpload's built-in target: an MCP server on stdio with knobs for the faults real servers have.
package enum DemoServer {
    /// Serves stdin/stdout until stdin closes; returns the process exit status.
    package static func runStdio(_ options: DemoServerOptions) async -> Int32 {
        let output = LineWriter(descriptor: 1)
        let log = LineWriter(descriptor: 2)
        let state = DemoState(options: options)
        let handler = RequestHandler(options: options, state: state)
        let outbox = Outbox(reachesClient: true) { output.write($0) }
        @Sendable func handle(_ job: Job) async {
            output.write(await handler.answer(id: job.answerID, method: job.method, params: job.params, outbox: outbox))
        }
        let (serialQueue, serialJobs) = AsyncStream.makeStream(of: Job.self)
        await withDiscardingTaskGroup { group in
            if options.serial {
                group.addTask {
                    for await job in serialQueue {
                        await handle(job)
                    }
                }
            }
            var framer = LineFramer(maxMessageBytes: 16 << 20)
            for await chunk in StdinReader.chunks() {
                var frames: [LineFramer.Frame] = []
                framer.append(chunk) { frames.append($0) }
                for frame in frames {
                    guard let message = decode(frame, output: output) else { continue }
                    switch message {
                    case .request(let id, let method, let params):
                        guard
                            let job = await admit(
                                id: id, method: method, params: params, state, output, log,
                                stderrNoise: options.stderrNoise)
                        else { continue }
                        if options.serial {
                            serialJobs.yield(job)
                        } else {
                            group.addTask { await handle(job) }
                        }
                    case .notification:
                        break
                    case .response, .errorResponse:
                        await state.resolve(message)
                    }
                }
            }
            serialJobs.finish()
        }
        return 0
    }

    /// A request as the fault knobs treat it: answered (under its id, or a misrouted one),
    /// answered with garbage (nil), or the end of the server (`--crash-after`).
    private static func admit(
        id: JSONRPCID, method: String, params: JSONValue?, _ state: DemoState, _ output: LineWriter,
        _ log: LineWriter, stderrNoise: Bool
    ) async -> Job? {
        var answerID = id
        switch await state.admit() {
        case .crash:
            log.write("mcpload demo: crashing as asked (--crash-after)")
            exit(1)
        case .garbage:
            output.write("{\"jsonrpc\": \"2.0\", garbage as asked (--garbage-every)")
            return nil
        case .misroute:
            answerID = .string("misrouted-\(id)")
        case .answer:
            break
        }
        if stderrNoise { log.write("mcpload demo: handling \(method) \(id)") }
        return Job(answerID: answerID, method: method, params: params)
    }

    /// Returns once stdin is closed: the parent that started the server is done with it.
    package static func waitForStdinEOF() async throws {
        for await _ in StdinReader.chunks() {}
    }

    struct Job: Sendable {
        /// The request's id, or (`--misroute-every`) one the client never sent.
        let answerID: JSONRPCID
        let method: String
        let params: JSONValue?
    }

    /// Parses a frame; answers what cannot be parsed with the JSON-RPC error a client expects.
    private static func decode(_ frame: LineFramer.Frame, output: LineWriter) -> JSONRPCMessage? {
        guard case .line(let line) = frame else {
            output.write(
                JSONRPCEncoder.error(id: .null, code: JSONRPCErrorCode.invalidRequest, message: "Message too large"))
            return nil
        }
        do {
            return try JSONRPCMessage.parse(line)
        } catch {
            let isJSON = error.isJSON
            output.write(
                JSONRPCEncoder.error(
                    id: .null,
                    code: isJSON ? JSONRPCErrorCode.invalidRequest : JSONRPCErrorCode.parseError,
                    message: isJSON ? "Invalid Request" : "Parse error"))
            return nil
        }
    }
}
