import AsyncHTTPClient
import Foundation
import MCPLoadCore
import NIOCore

/// Which failure class an HTTP client error belongs to.
enum HTTPFailure {
    /// An HTTP error status as an `http_status` failure, with Retry-After and the start of the body.
    static func status(of response: HTTPClientResponse) async -> Failure {
        var message = "HTTP \(response.status.code) \(response.status.reasonPhrase)"
        let retryAfterText = response.headers.first(name: "Retry-After")
        if let retryAfterText { message += ", Retry-After: \(retryAfterText)" }
        // Seconds only; an HTTP date is kept in the message but not waited for.
        let retryAfter = retryAfterText.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map {
            Duration.seconds($0)
        }
        if let body = try? await response.body.collect(upTo: 4096), body.readableBytes > 0 {
            if case .errorResponse(_, let code, let text, _)? = try? JSONRPCMessage.parse(Array(body.readableBytesView))
            {
                // 2026-07-28 sends its header-mismatch, capability and version errors this way:
                // those are the server's real answer, classified by code. Any other status
                // (404: session expired, 429, 503) stays an HTTP failure.
                if let name = MCPProtocol.ErrorCode.name(of: code) {
                    return Failure(.jsonrpcError, code: code, "\(message), error \(code) (\(name)): \(text)")
                }
                return Failure(
                    .httpStatus, code: Int64(response.status.code), "\(message), error \(code): \(text)",
                    retryAfter: retryAfter)
            }
            message += ": " + String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
        }
        return Failure(.httpStatus, code: Int64(response.status.code), message, retryAfter: retryAfter)
    }

    static func classify(_ error: any Error) -> Failure {
        if error is CancellationError { return Failure(.timeout, "cancelled") }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return Failure(.notSent, "could not connect: \(client)")
            case .readTimeout:
                return Failure(.timeout, "the response was silent longer than the stream idle timeout")
            case .remoteConnectionClosed:
                return Failure(.transport, "connection lost: \(client)")
            case .cancelled:
                return Failure(.timeout, "cancelled")
            default:
                return Failure(.transport, "\(client)")
            }
        }
        // Connection refused and friends surface as NIO errors before anything is sent.
        let description = String(describing: error)
        if description.localizedCaseInsensitiveContains("connect") || description.contains("ECONNREFUSED") {
            return Failure(.notSent, "could not connect: \(description)")
        }
        return Failure(.transport, description)
    }
}
