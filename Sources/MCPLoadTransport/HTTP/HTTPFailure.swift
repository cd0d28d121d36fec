import AsyncHTTPClient
import Foundation
import MCPLoadCore
import NIOCore
import NIOHTTP1

/// Which failure class an HTTP client error belongs to.
enum HTTPFailure {
    /// An HTTP error status as an `http_status` failure, with Retry-After and the start of the body.
    static func status(of response: HTTPClientResponse) async -> Failure {
        let body = (try? await response.body.collect(upTo: PostAnswerReader.errorBodyPrefix)).map {
            Array($0.readableBytesView)
        }
        let head = HTTPResponseHead(version: response.version, status: response.status, headers: response.headers)
        return status(head, body: body ?? [])
    }

    /// An error answer whose body (its start) was already read.
    static func status(_ head: HTTPResponseHead, body: [UInt8]) -> Failure {
        var message = "HTTP \(head.status.code) \(head.status.reasonPhrase)"
        let retryAfterText = head.headers.first(name: "Retry-After")
        if let retryAfterText { message += ", Retry-After: \(retryAfterText)" }
        // Seconds only; an HTTP date is kept in the message but not waited for.
        let retryAfter = retryAfterText.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map {
            Duration.seconds($0)
        }
        let code = Int64(head.status.code)
        if !body.isEmpty {
            if case .errorResponse(_, let errorCode, let text, _)? = try? JSONRPCMessage.parse(body) {
                // 2026-07-28 sends its header-mismatch, capability and version errors this way:
                // those are the server's real answer, classified by code. Any other status
                // (404: session expired, 429, 503) stays an HTTP failure.
                if let name = MCPProtocol.ErrorCode.name(of: errorCode) {
                    return Failure(.jsonrpcError, code: errorCode, "\(message), error \(errorCode) (\(name)): \(text)")
                }
                return Failure(
                    .httpStatus, code: code, "\(message), error \(errorCode): \(text)", retryAfter: retryAfter)
            }
            message += ": " + String(decoding: body.prefix(200), as: UTF8.self)
        }
        return Failure(.httpStatus, code: code, message, retryAfter: retryAfter)
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
