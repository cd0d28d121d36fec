import Foundation
import MCPLoadCore
import NIOCore

/// Where an endpoint's requests go: the host and port to connect to, and what to put in the
/// request line and `Host` header. Parsed once per session, not per request.
struct HTTPOrigin: Sendable, Hashable {
    var host: String
    var port: Int
    var secure: Bool
    /// Path and query, as sent in the request line (`/mcp?x=1`).
    var target: String
    /// `host[:port]`, with the port only when it is not the scheme's default.
    var hostHeader: String

    init(endpoint: String) throws(Failure) {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw Failure(.notSent, "'\(endpoint)' is not an http:// or https:// URL")
        }
        guard let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw Failure(.notSent, "'\(endpoint)' names no host")
        }
        secure = scheme == "https"
        let defaultPort = secure ? 443 : 80
        port = url.port ?? defaultPort
        // URL gives an IPv6 literal without its brackets; the connection wants it that way,
        // the Host header with them.
        self.host = host
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        let path = url.path(percentEncoded: true)
        target = (path.isEmpty ? "/" : path) + (url.query(percentEncoded: true).map { "?\($0)" } ?? "")
    }
}

extension HTTPOrigin {
    /// An IP literal, which TLS must not send as the server name.
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: host, port: port)) != nil
    }
}
