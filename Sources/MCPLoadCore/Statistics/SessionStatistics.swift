/// Session setup, measured apart from steady-state calls: spawn plus the initialize handshake.
package struct SessionStatistics: Sendable, Equatable, Codable {
    /// Sessions whose handshake completed.
    package var opened: UInt64 = 0
    package var closed: UInt64 = 0
    /// Sessions re-opened after the first one of a client: `reconnect` steps and recovery after failures.
    package var reopened: UInt64 = 0
    /// Sessions the server no longer knew (HTTP 404): each is followed by a new one.
    package var expired: UInt64 = 0
    package var setupFailures = FailureTally()

    /// Sessions tried: opened or failed to open.
    package var attempts: UInt64 { opened + setupFailures.total }
    package var setupLatency = LatencyHistogram()
    /// The protocol versions servers agreed to, with how many sessions each.
    package var protocolVersions: [String: UInt64] = [:]

    package init() {}

    package mutating func merge(_ other: SessionStatistics) {
        opened += other.opened
        closed += other.closed
        reopened += other.reopened
        expired += other.expired
        setupFailures.merge(other.setupFailures)
        setupLatency.merge(other.setupLatency)
        protocolVersions.merge(other.protocolVersions, uniquingKeysWith: +)
    }
}

/// Traffic that is not an answer to one of our requests: counted, never an attempt's failure.
package struct ProtocolStatistics: Sendable, Equatable, Codable {
    /// Server notifications by method (progress, logging, list_changed, ...).
    package var notifications: [String: UInt64] = [:]
    /// Requests the server sent us, by method; each was answered.
    package var serverRequests: [String: UInt64] = [:]
    /// Responses to one of this session's requests that no longer waited (late after a timeout,
    /// or a second answer).
    package var unmatchedResponses: UInt64 = 0
    /// Responses with an id this session never sent: another session's answer, delivered here.
    /// A cross-session event; each one failed the oldest request in flight as `protocol`.
    package var misroutedResponses: UInt64 = 0
    /// Lines that were not JSON-RPC and could not be tied to a request in flight.
    package var invalidMessages: UInt64 = 0
    /// Answer streams the server closed early that were resumed with `Last-Event-ID`.
    package var resumedStreams: UInt64 = 0
    /// HTTP `GET` listening streams opened (`session.listen`), and those the server refused (405).
    package var listeningStreams: UInt64 = 0
    package var listeningStreamsRefused: UInt64 = 0

    package init() {}

    private enum CodingKeys: String, CodingKey {
        case notifications, serverRequests, unmatchedResponses, invalidMessages, resumedStreams, listeningStreams
        case listeningStreamsRefused, misroutedResponses
    }

    /// Counters added within schema v1 read as 0 from results written before them.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notifications = try container.decode([String: UInt64].self, forKey: .notifications)
        serverRequests = try container.decode([String: UInt64].self, forKey: .serverRequests)
        unmatchedResponses = try container.decode(UInt64.self, forKey: .unmatchedResponses)
        invalidMessages = try container.decode(UInt64.self, forKey: .invalidMessages)
        resumedStreams = try container.decodeIfPresent(UInt64.self, forKey: .resumedStreams) ?? 0
        listeningStreams = try container.decodeIfPresent(UInt64.self, forKey: .listeningStreams) ?? 0
        listeningStreamsRefused = try container.decodeIfPresent(UInt64.self, forKey: .listeningStreamsRefused) ?? 0
        misroutedResponses = try container.decodeIfPresent(UInt64.self, forKey: .misroutedResponses) ?? 0
    }

    package mutating func merge(_ other: ProtocolStatistics) {
        notifications.merge(other.notifications, uniquingKeysWith: +)
        serverRequests.merge(other.serverRequests, uniquingKeysWith: +)
        unmatchedResponses += other.unmatchedResponses
        invalidMessages += other.invalidMessages
        resumedStreams += other.resumedStreams
        listeningStreams += other.listeningStreams
        listeningStreamsRefused += other.listeningStreamsRefused
        misroutedResponses += other.misroutedResponses
    }
}
