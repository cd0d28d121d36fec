import MCPLoadCore
import NIOHTTP1

/// What every HTTP session of a run shares: where, how big, which extra headers.
package struct HTTPSessionOptions: Sendable {
    /// Streamable HTTP: the MCP endpoint. Legacy SSE: the stream's URL.
    package var endpoint: String
    package var maxMessageBytes: Int
    /// Sent on every request (credentials included); never logged or reported.
    package var headers: [HeaderField]
    /// Bounds opening a session's stream and waiting for its `endpoint` event (legacy SSE).
    package var setupTimeout: Duration
    /// Streamable HTTP: open the optional `GET` listening stream once the session is established.
    package var listen = false
    /// Streamable HTTP: end each session with `DELETE` (`session.delete`).
    package var endWithDelete = true
    /// Bounds opening a connection (TCP, and TLS for https).
    package var connectTimeout: Duration
    /// An answer silent this long (no bytes, an SSE stream included) fails as a timeout.
    package var streamIdleTimeout: Duration?
    /// Hides the run's secrets in what an answer's body puts into a failure message.
    package var redactor = Redactor.none
    /// The answer header naming the replica that served it; answers are then counted per replica.
    package var replicaHeader: String?
    /// The session's identity's token (`auth:`), presented on every request; set per session.
    package var credential: BearerCredential?

    package struct HeaderField: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(endpoint: String, maxMessageBytes: Int, headers: [HeaderField] = [], setupTimeout: Duration) {
        self.endpoint = endpoint
        self.maxMessageBytes = maxMessageBytes
        self.headers = headers
        self.setupTimeout = setupTimeout
        connectTimeout = setupTimeout
    }

    /// Headers for a request on our own connections to `origin`: the base ones and `Host`, and
    /// for a POST of JSON its `Content-Type` (the length is the request's own).
    func headers(to origin: HTTPOrigin, accepting accept: String? = nil, postingJSON: Bool) -> HTTPHeaders {
        var fields = baseHeaders(accepting: accept)
        fields.replaceOrAdd(name: "Host", value: origin.hostHeader)
        if postingJSON { fields.add(name: "Content-Type", value: "application/json") }
        return fields
    }

    /// Base headers for a request: the run's own, the identity's token, then `Accept` when given.
    func baseHeaders(accepting accept: String? = nil) -> HTTPHeaders {
        var fields = HTTPHeaders()
        for header in headers { fields.add(name: header.name, value: header.value) }
        if let accept { fields.replaceOrAdd(name: "Accept", value: accept) }
        if let presented = credential?.presented { fields.replaceOrAdd(name: "Authorization", value: presented.header) }
        return fields
    }

    /// Adds the identity's current token to a request's headers; returns the generation sent
    /// (0 when the session has an identity without a token yet, nil when it has none).
    func authorize(_ headers: inout HTTPHeaders) -> Int? {
        guard let presentation = presentation() else { return nil }
        if let header = presentation.header { headers.replaceOrAdd(name: "Authorization", value: header) }
        return presentation.generation
    }

    /// The identity's token to present now, as its header's value, and its generation: no
    /// header and generation 0 while the identity has no token yet; nil without an identity.
    func presentation() -> (header: String?, generation: Int)? {
        guard let credential else { return nil }
        guard let presented = credential.presented else { return (nil, 0) }
        return (presented.header, presented.generation)
    }
}
