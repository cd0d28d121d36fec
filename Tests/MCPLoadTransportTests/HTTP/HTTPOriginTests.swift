import MCPLoadCore
import Testing

@testable import MCPLoadTransport

@Suite("HTTP origin of an endpoint")
struct HTTPOriginTests {
    @Test("host, port, request target and Host header, for names, IPv4 and IPv6 literals")
    func parts() throws {
        let plain = try HTTPOrigin(endpoint: "http://127.0.0.1:8080/mcp?tenant=a%20b")
        #expect(plain.host == "127.0.0.1" && plain.port == 8080 && !plain.secure)
        #expect(plain.target == "/mcp?tenant=a%20b" && plain.hostHeader == "127.0.0.1:8080")
        #expect(plain.isIPAddress)

        let secure = try HTTPOrigin(endpoint: "https://mcp.example.com/v1/mcp")
        #expect(secure.port == 443 && secure.secure && secure.hostHeader == "mcp.example.com")
        #expect(!secure.isIPAddress)

        let v6 = try HTTPOrigin(endpoint: "http://[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000 && v6.target == "/" && v6.hostHeader == "[::1]:9000")
        #expect(v6.isIPAddress)

        let defaultPort = try HTTPOrigin(endpoint: "http://localhost/")
        #expect(defaultPort.port == 80 && defaultPort.hostHeader == "localhost")
    }

    @Test("anything but an http(s) URL with a host is refused as never sent, naming the URL")
    func refused() {
        for endpoint in ["ftp://example.com/mcp", "not a url", "http:///mcp"] {
            #expect {
                try HTTPOrigin(endpoint: endpoint)
            } throws: { error in
                guard let failure = error as? Failure else { return false }
                return failure.failureClass == .notSent && failure.message.contains(endpoint)
            }
        }
    }
}
