import Foundation
import MCPLoadCore
import MCPLoadJSONRPC

/// Sessions of the legacy HTTP+SSE transport (MCP 2024-11-05): each GET stream is a session,
/// and POSTed requests are answered on that stream.
actor LegacySSESessions {
    /// A request POSTed to a session, to be answered on its stream.
    struct Job: Sendable {
        let id: JSONRPCID
        let method: String
        let params: JSONValue?
    }

    private var queues: [String: AsyncStream<Job>.Continuation] = [:]

    /// Opens a session; its jobs arrive on the returned stream until the session closes.
    func open() -> (id: String, jobs: AsyncStream<Job>) {
        let id = UUID().uuidString.lowercased()
        let (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
        queues[id] = continuation
        return (id, jobs)
    }

    func close(_ id: String) {
        queues.removeValue(forKey: id)?.finish()
    }

    /// Hands a request to its session; false when the session is unknown.
    func enqueue(_ job: Job, session id: String) -> Bool {
        guard let queue = queues[id] else { return false }
        queue.yield(job)
        return true
    }

    func isOpen(_ id: String) -> Bool { queues[id] != nil }

    var count: Int { queues.count }
}
