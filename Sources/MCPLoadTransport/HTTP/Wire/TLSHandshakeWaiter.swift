import MCPLoadCore
import NIOCore
import NIOTLS

/// Tells when an https connection's TLS handshake is over, then steps out of the pipeline.
///
/// A connection is handed to a request only once its handshake succeeded, so that a failed one
/// (an untrusted certificate, a wrong name) is reported as what it is, and always before
/// anything was sent, rather than racing the request's write on a connection being torn down.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            done.succeed()
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(Failure(.notSent, "TLS handshake failed: \(error)"))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(Failure(.notSent, "the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }
}
