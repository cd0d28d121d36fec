import AsyncHTTPClient
import MCPLoadCore
import NIOCore

/// Which failure class an HTTP client error belongs to.
enum HTTPFailure {
    static func classify(_ error: any Error) -> Failure {
        if error is CancellationError { return Failure(.timeout, "cancelled") }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return Failure(.notSent, "could not connect: \(client)")
            case .remoteConnectionClosed, .readTimeout:
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
