import MCPLoadCore
import Synchronization

/// One message waiting in the fan-in proxy's queue for the shared server's stdin.
///
/// The proxy's writer takes messages in order; the client that queued one waits for it. A
/// client that gives up while its message is still queued withdraws it: the message never
/// reaches the server, and the attempt is "never sent" — the published failure's largest class.
final class QueuedWrite: Sendable {
    let bytes: [UInt8]
    private let state = Mutex(State.queued(waiter: nil))

    private enum State {
        case queued(waiter: CheckedContinuation<Void, any Error>?)
        case writing(waiter: CheckedContinuation<Void, any Error>?)
        case finished(Failure?)
        case withdrawn
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether its client gave up on it before its turn came: it will never be written.
    var isWithdrawn: Bool {
        state.withLock { if case .withdrawn = $0 { true } else { false } }
    }

    /// Whether the message is still waiting for its turn: giving up on it now means it never left mcpload.
    var isQueued: Bool {
        state.withLock { if case .queued = $0 { true } else { false } }
    }

    /// Called by the writer when the message's turn comes; false if its client withdrew it.
    func beginWriting() -> Bool {
        state.withLock { state in
            guard case .queued(let waiter) = state else { return false }
            state = .writing(waiter: waiter)
            return true
        }
    }

    /// Called by the writer when the write ended, with its failure if it failed.
    func finish(_ failure: Failure?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            let waiter: CheckedContinuation<Void, any Error>?
            switch state {
            case .queued(let pending), .writing(let pending): waiter = pending
            case .finished, .withdrawn: return nil
            }
            state = .finished(failure)
            return waiter
        }
        if let failure { waiter?.resume(throwing: failure) } else { waiter?.resume() }
    }

    /// Waits until the message was written. Cancelled while queued, it is withdrawn and throws
    /// `not_sent`; cancelled while being written, the write goes on and this returns a `timeout`.
    func written() async throws(Failure) {
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let outcome = state.withLock { state -> Result<Void, Failure>? in
                        switch state {
                        case .finished(let failure): return failure.map { .failure($0) } ?? .success(())
                        case .withdrawn: return .failure(Self.withdrawnFailure)
                        case .queued:
                            // Checked under the lock: a cancellation that came first found no waiter.
                            if Task.isCancelled {
                                state = .withdrawn
                                return .failure(Self.withdrawnFailure)
                            }
                            state = .queued(waiter: continuation)
                            return nil
                        case .writing:
                            if Task.isCancelled { return .failure(Self.abandonedFailure) }
                            state = .writing(waiter: continuation)
                            return nil
                        }
                    }
                    if let outcome { continuation.resume(with: outcome) }
                }
            } onCancel: {
                let (waiter, failure) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, Failure) in
                    switch state {
                    case .queued(let waiter):
                        state = .withdrawn
                        return (waiter, Self.withdrawnFailure)
                    case .writing(let waiter):
                        state = .writing(waiter: nil)
                        return (waiter, Self.abandonedFailure)
                    case .finished, .withdrawn:
                        return (nil, Self.abandonedFailure)
                    }
                }
                waiter?.resume(throwing: failure)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Self.abandonedFailure
        }
    }

    private static let withdrawnFailure = Failure(
        .notSent, "given up while queued in the proxy behind other clients' messages")
    private static let abandonedFailure = Failure(.timeout, "given up while the proxy was writing it to the server")
}
