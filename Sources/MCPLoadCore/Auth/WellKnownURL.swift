/// Where metadata documents live: the well-known URIs of RFC 9728 (protected resources) and
/// RFC 8414 (authorization servers), with OpenID Connect discovery after them, in the order
/// the MCP authorization spec has clients try them.
package enum WellKnownURL {
    /// The protected resource metadata of `resource`: path-specific first, then the root.
    package static func protectedResourceMetadata(for resource: String) -> [String] {
        candidates(resource, suffix: "oauth-protected-resource")
    }

    /// The authorization server metadata of `issuer`: RFC 8414 (path inserted), then OpenID
    /// Connect discovery (path inserted, then appended).
    package static func authorizationServerMetadata(for issuer: String) -> [String] {
        guard let (origin, path) = split(issuer) else { return [] }
        if path.isEmpty {
            return [origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"]
        }
        return [
            origin + "/.well-known/oauth-authorization-server" + path,
            origin + "/.well-known/openid-configuration" + path,
            origin + path + "/.well-known/openid-configuration",
        ]
    }

    private static func candidates(_ url: String, suffix: String) -> [String] {
        guard let (origin, path) = split(url) else { return [] }
        let root = origin + "/.well-known/" + suffix
        return path.isEmpty ? [root] : [root + path, root]
    }

    /// `https://host:port` and the path without a trailing slash, query or fragment; nil when
    /// `url` is not an http(s) URL with a host.
    package static func split(_ url: String) -> (origin: String, path: String)? {
        guard let scheme = url.range(of: "://"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return nil
        }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        var path = String(rest[authority.endIndex...].prefix { $0 != "?" && $0 != "#" })
        while path.hasSuffix("/") { path.removeLast() }
        return (String(url[..<scheme.upperBound]) + authority, path)
    }
}
