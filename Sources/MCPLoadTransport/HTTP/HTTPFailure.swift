import AsyncHTTPClient
import Foundation
import MCPLoadCore
import MCPLoadJSONRPC
import NIOCore
import NIOHTTP1
import NIOPosix

/// Which failure class an HTTP client error belongs to.
enum HTTPFailure {
    /// An HTTP error status as an `http_status` failure, with Retry-After and the start of the body.
    static func status(of response: HTTPClientResponse, redactor: Redactor, presented: Int? = nil) async -> Failure {
        let body = (try? await response.body.collect(upTo: PostAnswerReader.errorBodyPrefix)).map {
            Array($0.readableBytesView)
        }
        let head = HTTPResponseHead(version: response.version, status: response.status, headers: response.headers)
        return status(head, body: body ?? [], redactor: redactor, presented: presented)
    }

    /// How much of an error answer's body (or JSON-RPC error message) a failure message quotes.
    static let quotedCharacters = 200

    /// An error answer whose body (its start) was already read. What it quotes of the body is
    /// redacted before it is cut, so no secret the server echoed is left half-hidden.
    static func status(_ head: HTTPResponseHead, body: [UInt8], redactor: Redactor, presented: Int? = nil) -> Failure {
        if head.status.code == 401 || head.status.code == 403 {
            return refusal(head, body: body, redactor: redactor, presented: presented)
        }
        var message = "HTTP \(head.status.code) \(head.status.reasonPhrase)"
        let retryAfterText = head.headers.first(name: "Retry-After")
        if let retryAfterText { message += ", Retry-After: \(retryAfterText)" }
        // Seconds only; an HTTP date is kept in the message but not waited for.
        let retryAfter = retryAfterText.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map {
            Duration.seconds($0)
        }
        let code = Int64(head.status.code)
        if !body.isEmpty {
            if case .errorResponse(_, let errorCode, let fullText, _)? = try? JSONRPCMessage.parse(body) {
                let text = redactor.excerpt(fullText, limit: quotedCharacters)
                // 2026-07-28 sends its header-mismatch, capability and version errors this way:
                // those are the server's real answer, classified by code. Any other status
                // (404: session expired, 429, 503) stays an HTTP failure.
                if let name = MCPProtocol.ErrorCode.name(of: errorCode) {
                    return Failure(.jsonrpcError, code: errorCode, "\(message), error \(errorCode) (\(name)): \(text)")
                }
                return Failure(
                    .httpStatus, code: code, "\(message), error \(errorCode): \(text)", retryAfter: retryAfter)
            }
            message += ": " + redactor.excerpt(body, limit: quotedCharacters)
        }
        return Failure(.httpStatus, code: code, message, retryAfter: retryAfter)
    }

    /// 401 or 403: an `auth` failure with the server's Bearer challenge, which says why
    /// (`invalid_token`, `insufficient_scope`) and what to do (the metadata, the scope).
    private static func refusal(_ head: HTTPResponseHead, body: [UInt8], redactor: Redactor, presented: Int?) -> Failure
    {
        let challenge = head.headers["WWW-Authenticate"].lazy.compactMap(BearerChallenge.init(header:)).first
        var message = "HTTP \(head.status.code) \(head.status.reasonPhrase)"
        if let error = challenge?.error { message += ", \(redactor.excerpt(error, limit: 64))" }
        if !body.isEmpty { message += ": " + redactor.excerpt(body, limit: quotedCharacters) }
        var failure = Failure(.auth, code: Int64(head.status.code), message)
        failure.refusal = AuthRefusal(challenge: challenge, presentedGeneration: presented ?? 0)
        return failure
    }

    /// Whether `error` says a connection could not be made (refused, unreachable, timed out).
    private static func isConnectFailure(_ error: any Error) -> Bool {
        if case .connectTimeout? = error as? ChannelError { return true }
        if error is NIOConnectionError { return true }
        if let io = error as? IOError {
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT, EADDRNOTAVAIL].contains(io.errnoCode)
        }
        return false
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
        // Connection refused and friends surface as NIO errors before anything is sent. A reset
        // of an established connection ("Connection reset by peer") is not one of them.
        if isConnectFailure(error) {
            return Failure(.notSent, "could not connect: \(error)")
        }
        return Failure(.transport, "\(error)")
    }
}
