import MCPLoadCore

/// Reads a server's stdout, frames it into messages and forwards them as inbound events.
enum StdoutPump {
    static func run(
        _ output: ServerPipe,
        maxMessageBytes: Int,
        into queue: InboundQueue
    ) async {
        let end = await output.readLines(maxLineBytes: maxMessageBytes, pausingFor: queue) {
            queue.yield(.frame($0))
        }
        let reason =
            switch end {
            case .endOfFile: "server closed its stdout"
            case .failed(let failure): "reading server stdout failed: \(failure)"
            case .stopped(let reason): reason
            }
        queue.yield(.closed(reason))
        queue.finish()
    }
}

/// Keeps the last lines a server wrote to stderr: bounded however much it writes.
enum StderrTail {
    static let maxLineBytes = 400

    static func collect(_ errorOutput: ServerPipe, keeping limit: Int) async -> [String] {
        let lines = Locked<[String]>([])
        let end = await errorOutput.readLines(maxLineBytes: maxLineBytes) { frame in
            let line =
                switch frame {
                case .line(let bytes): String(decoding: bytes, as: UTF8.self)
                case .oversize(let count): "[\(count)-byte line omitted]"
                }
            lines.withLock { kept in
                kept.append(line)
                if kept.count > limit { kept.removeFirst() }
            }
            return true
        }
        var tail = lines.withLock { $0 }
        if case .failed(let failure) = end { tail.append("[reading stderr failed: \(failure)]") }
        return limit == 0 ? [] : tail
    }
}
