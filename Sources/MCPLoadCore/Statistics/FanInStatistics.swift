/// What the fan-in proxy saw while it multiplexed clients onto shared servers. Mergeable.
///
/// These are the proxy's own observations; what they did to requests shows in the steps'
/// failures (a misrouted answer fails its `expect` check, a lost one times out).
package struct FanInStatistics: Sendable, Hashable, Codable {
    /// Server processes that ran behind the proxy.
    package var serverProcesses: UInt64 = 0
    /// Client sessions attached to the proxy.
    package var clientSessions: UInt64 = 0
    /// Client requests written to a server.
    package var requestsForwarded: UInt64 = 0
    /// Requests forwarded while another client's request with the same id was in flight
    /// (`ids: passthrough` only): the new one took over the id's route, the older client's
    /// answer can no longer reach it.
    package var idCollisions: UInt64 = 0
    /// Answers delivered along a route that a colliding request had taken over: possibly
    /// another client's answer.
    package var ambiguousDeliveries: UInt64 = 0
    /// Server answers no client was waiting for; dropped.
    package var unmatchedResponses: UInt64 = 0
    /// Server answers that came after their client had left (timed out and closed its session).
    package var lateResponses: UInt64 = 0
    /// `initialize` requests that reached a server, and those answered from the cached result.
    package var initializeForwarded: UInt64 = 0
    package var initializeIntercepted: UInt64 = 0
    /// Server messages that name no client (notifications, server requests, null-id errors),
    /// and the copies of them delivered.
    package var unaddressedMessages: UInt64 = 0
    package var unaddressedCopies: UInt64 = 0
    /// Client answers to a server request that another client had already answered; dropped.
    package var duplicateAnswersDropped: UInt64 = 0

    package init() {}

    package mutating func merge(_ other: FanInStatistics) {
        serverProcesses += other.serverProcesses
        clientSessions += other.clientSessions
        requestsForwarded += other.requestsForwarded
        idCollisions += other.idCollisions
        ambiguousDeliveries += other.ambiguousDeliveries
        unmatchedResponses += other.unmatchedResponses
        lateResponses += other.lateResponses
        initializeForwarded += other.initializeForwarded
        initializeIntercepted += other.initializeIntercepted
        unaddressedMessages += other.unaddressedMessages
        unaddressedCopies += other.unaddressedCopies
        duplicateAnswersDropped += other.duplicateAnswersDropped
    }

    package func merged(with other: FanInStatistics) -> FanInStatistics {
        var merged = self
        merged.merge(other)
        return merged
    }
}
