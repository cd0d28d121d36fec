import MCPLoadCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The keep-alive connections one session POSTs on: usually one, another only while a request
/// is out and the session sends more (an answer to a server's request under way, a
/// notification). Each session has its own, as separate clients would; they close with it.
final class SessionConnections: Sendable {
    let origin: HTTPOrigin
    private let connectTimeout: Duration
    private let idleTimeout: Duration?
    private let idle = Mutex(Idle())
    /// Idle connections kept beyond this are closed on return.
    private static let keptIdle = 2

    private struct Idle {
        var connections: [HTTP1Connection] = []
        /// The session is over: a connection coming back from a late request is closed.
        var closed = false
    }

    init(origin: HTTPOrigin, connectTimeout: Duration, idleTimeout: Duration?) {
        self.origin = origin
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }

    /// Sends one request on an idle connection, or a new one, and returns the connection to the
    /// idle ones when the answer left it reusable.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, reader: PostAnswerReader) async throws(Failure) -> PostAnswer
    {
        try await send(.parts(head, body: body), reader: reader)
    }

    func send(_ request: HTTP1Request, reader: PostAnswerReader) async throws(Failure) -> PostAnswer {
        let connection = try await take()
        let answer: PostAnswer
        do {
            answer = try await connection.send(request, reader: reader)
        } catch {
            connection.close()
            throw error
        }
        release(connection, reusable: answer.head.isKeepAlive)
        return answer
    }

    /// Closes every idle connection; the session is over.
    func closeAll() {
        let connections = idle.withLock { idle in
            defer {
                idle.connections.removeAll()
                idle.closed = true
            }
            return idle.connections
        }
        for connection in connections { connection.close() }
    }

    private func take() async throws(Failure) -> HTTP1Connection {
        if let connection = takeIdle() { return connection }
        return try await HTTP1Connection.open(to: origin, connectTimeout: connectTimeout, idleTimeout: idleTimeout)
    }

    /// An idle connection that is still open, if there is one; opening one needs a task.
    func takeIdle() -> HTTP1Connection? {
        while let connection = idle.withLock({ $0.connections.popLast() }) {
            // A server may close an idle connection (its keep-alive timeout): never send on one.
            if connection.isOpen { return connection }
        }
        return nil
    }

    /// The event loop of the idle connection the next request would take; nil with none idle.
    var idleEventLoop: (any EventLoop)? {
        idle.withLock { $0.connections.last?.eventLoop }
    }

    /// A connection back from a request: kept for the next one when its answer left it usable.
    func release(_ connection: HTTP1Connection, reusable: Bool) {
        if reusable { giveBack(connection) } else { connection.close() }
    }

    private func giveBack(_ connection: HTTP1Connection) {
        let kept = idle.withLock { idle in
            guard !idle.closed, idle.connections.count < Self.keptIdle else { return false }
            idle.connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}
