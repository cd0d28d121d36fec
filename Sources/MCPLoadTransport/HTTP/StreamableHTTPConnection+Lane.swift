import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore

/// A request started without a task (the engine's event-loop lane); see
/// ``StreamableHTTPConnection/startExchange(_:awaiting:)``.
package struct StartedExchange: Sendable {
    /// Completes on the connection's event loop once the answer's head and body are read.
    package let answer: EventLoopFuture<PostAnswer>
    /// Gives up on the exchange if it is still under way (its deadline passed, its answer came
    /// another way): the connection is closed, since what is left of the answer could not be
    /// told from the next one's.
    package let cancel: @Sendable () -> Void
    let connection: HTTP1Connection
    let presented: Int?
}

extension StreamableHTTPConnection {
    /// The event loop the session's next request would be written on, if a connection is idle.
    package var laneEventLoop: (any EventLoop)? { connections.idleEventLoop }

    /// Starts request `id` on an idle connection from the caller's thread, with no task: its
    /// answer completes ``StartedExchange/answer`` on the connection's event loop. Nil when no
    /// idle connection is at hand: the caller sends it the usual way, which opens one.
    package func startExchange(_ message: [UInt8], awaiting id: JSONRPCID) throws(Failure) -> StartedExchange? {
        guard let connection = connections.takeIdle() else { return nil }
        let prepared: PreparedPost
        do {
            prepared = try preparePost(message, awaiting: id, keepingJSONAnswer: true)
        } catch {
            connections.release(connection, reusable: true)
            throw error
        }
        let (answer, cancel) = connection.start(prepared.request, reader: prepared.reader)
        return StartedExchange(answer: answer, cancel: cancel, connection: connection, presented: prepared.presented)
    }

    /// A JSON answer's line that was not the answer the lane waited for: the session's reader
    /// reads it like any other message (counts it, answers a server's request, tells a
    /// misrouted answer), so the lane needs no task for it.
    package func handToReader(_ line: [UInt8]) {
        _ = inbound.yield(.frame(.line(line)))
    }

    /// What a started exchange came to, on its event loop, as ``exchange(_:awaiting:)``
    /// would say it: the JSON answer's line, or nil when the answer comes through ``inbound``
    /// (an SSE stream; one that ended early is resumed, and its end reported, by a task of its
    /// own, whose failure goes to `streamFailed`). Throws the exchange's failure.
    package func finishExchange(
        _ started: StartedExchange, awaiting id: JSONRPCID, result: Result<PostAnswer, any Error>,
        streamFailed: @escaping @Sendable (Failure) -> Void
    ) throws(Failure) -> [UInt8]? {
        let answer: PostAnswer
        switch result {
        case .success(let value):
            answer = value
            connections.release(started.connection, reusable: value.head.isKeepAlive)
        case .failure(let error):
            started.connection.close()
            throw HTTP1Connection.failure(from: error)
        }
        switch try conclude(answer, awaiting: id, presented: started.presented) {
        case .answer(let line):
            return line
        case .streamUnfinished(let events):
            let inbound = inbound
            Task {
                do throws(Failure) {
                    if let events { try await self.resumeIfUnanswered(id, events) }
                    inbound.yield(.responseStreamEnded(id))
                } catch {
                    streamFailed(error)
                }
            }
            return nil
        case .done:
            return nil
        }
    }
}
