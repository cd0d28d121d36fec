import MCPLoadCore

/// Reads a server's stdout, frames it into messages and forwards them as inbound events.
enum StdoutPump {
    static func run(
        _ output: ServerPipe,
        maxMessageBytes: Int,
        into continuation: AsyncStream<InboundEvent>.Continuation
    ) async {
        let failure = await output.readLines(maxLineBytes: maxMessageBytes) { continuation.yield(.frame($0)) }
        continuation.yield(.closed(failure.map { "reading server stdout failed: \($0)" } ?? "server closed its stdout"))
        continuation.finish()
    }
}

/// Keeps the last lines a server wrote to stderr: bounded however much it writes.
enum StderrTail {
    static let maxLineBytes = 400

    static func collect(_ errorOutput: ServerPipe, keeping limit: Int) async -> [String] {
        let lines = Locked<[String]>([])
        let failure = await errorOutput.readLines(maxLineBytes: maxLineBytes) { frame in
            let line =
                switch frame {
                case .line(let bytes): String(decoding: bytes, as: UTF8.self)
                case .oversize(let count): "[\(count)-byte line omitted]"
                }
            lines.withLock { kept in
                kept.append(line)
                if kept.count > limit { kept.removeFirst() }
            }
        }
        var tail = lines.withLock { $0 }
        if let failure { tail.append("[reading stderr failed: \(failure)]") }
        return limit == 0 ? [] : tail
    }
}
