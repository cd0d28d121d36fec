import MCPLoadCore
import NIOCore

/// Reads a server's stdout, frames it into messages and forwards them as inbound events.
enum StdoutPump {
    static func run(
        _ output: ServerPipe,
        maxMessageBytes: Int,
        into continuation: AsyncStream<InboundEvent>.Continuation
    ) async {
        var framer = LineFramer(maxMessageBytes: maxMessageBytes)
        var reason = "server closed its stdout"
        do {
            try await output.chunks().executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    buffer.withUnsafeReadableBytes { bytes in
                        framer.append(bytes) { continuation.yield(.frame($0)) }
                    }
                }
            }
        } catch {
            reason = "reading server stdout failed: \(error)"
        }
        if let last = framer.finish() { continuation.yield(.frame(last)) }
        continuation.yield(.closed(reason))
        continuation.finish()
    }
}

/// Keeps the last lines a server wrote to stderr: bounded however much it writes.
enum StderrTail {
    static let maxLineBytes = 400

    static func collect(_ errorOutput: ServerPipe, keeping limit: Int) async -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(limit + 1)
        var framer = LineFramer(maxMessageBytes: maxLineBytes)
        func keep(_ frame: LineFramer.Frame) {
            switch frame {
            case .line(let bytes): lines.append(String(decoding: bytes, as: UTF8.self))
            case .oversize(let count): lines.append("[\(count)-byte line omitted]")
            }
            if lines.count > limit { lines.removeFirst() }
        }
        do {
            try await errorOutput.chunks().executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    buffer.withUnsafeReadableBytes { bytes in framer.append(bytes, emit: keep) }
                }
            }
        } catch {
            lines.append("[reading stderr failed: \(error)]")
        }
        if let last = framer.finish() { keep(last) }
        return limit == 0 ? [] : lines
    }
}
