import Foundation
import MCPLoadCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

@testable import MCPLoadTransport

@Suite("https on the POST path's connections")
struct HTTPSConnectionTests {
    /// A throwaway self-signed certificate and key, made with the openssl command line tool.
    private static func selfSignedContext() throws -> NIOSSLContext {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mcpload-tls-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("key.pem").path
        let certificate = folder.appendingPathComponent("cert.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }

    @Test("a server whose certificate is not trusted fails the request as never sent, and says why")
    func untrustedCertificate() async throws {
        let server = try await ScriptedHTTPServer(tls: try Self.selfSignedContext()) { _ in
            .answer(status: .ok, contentType: "application/json", body: #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        }
        let connections = SessionConnections(
            origin: try HTTPOrigin(endpoint: "https://127.0.0.1:\(server.port)/mcp"), connectTimeout: .seconds(5),
            idleTimeout: nil)
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/mcp", headers: ["Host": "127.0.0.1", "Content-Length": "2"])
        var outcome: Failure?
        do throws(Failure) {
            _ = try await connections.send(
                head, body: ByteBuffer(string: "{}"), reader: PostAnswerReader(sink: nil, maxMessageBytes: 1 << 20))
        } catch {
            outcome = error
        }
        connections.closeAll()
        await server.stop()
        #expect(outcome?.failureClass == .notSent)
        #expect(outcome?.message.hasPrefix("TLS handshake failed") == true, "\(outcome?.message ?? "no failure")")
        #expect(outcome?.message.contains("CERTIFICATE_VERIFY_FAILED") == true)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("a server that accepts and then never answers the handshake fails within the connect timeout")
    func silentHandshake() async throws {
        // Takes connections and reads nothing back to them.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = silent.localAddress?.port ?? 0
        var outcome: Failure?
        do throws(Failure) {
            _ = try await HTTP1Connection.open(
                to: try HTTPOrigin(endpoint: "https://127.0.0.1:\(port)/mcp"), connectTimeout: .milliseconds(200),
                idleTimeout: nil)
        } catch {
            outcome = error
        }
        try await silent.close()
        #expect(outcome?.failureClass == .notSent)
        #expect(outcome?.message == "TLS handshake not done within 200.0ms")
    }
}
