import MCPLoadCore
import NIOCore
import Synchronization

/// A session's inbound messages between the wire and the JSON-RPC client, bounded in bytes.
///
/// An `AsyncStream` buffers without limit: a server that floods notifications faster than the
/// session reads them grew mcpload's memory until the kernel killed it. Here a producer learns
/// when the queue passes its high-water mark (``yield(_:)`` returns false) and holds off: an
/// event loop stops reading the socket or pipe until ``whenRoom(_:)`` calls it back, a task
/// awaits ``waitForRoom()``. The pressure then reaches the server through the kernel's buffers,
/// as it would with any client that reads no faster than it can.
///
/// One consumer iterates it. When that consumer's task is cancelled, the queue ends, as an
/// `AsyncStream` does: what was buffered is dropped and producers are never held again.
package final class InboundQueue: AsyncSequence, Sendable {
    package typealias Element = InboundEvent

    /// Bytes buffered at which producers are asked to pause, and below which they resume.
    static let highWatermark = 1 << 20
    static let lowWatermark = highWatermark / 4
    /// What an event costs besides its payload, so that a flood of empty ones is bounded too.
    static let eventOverhead = 64

    private let state = Mutex(State())

    private struct State: ~Copyable {
        var events = CircularBuffer<InboundEvent>()
        var bytes = 0
        var finished = false
        /// The consumer has gone: nothing more is kept.
        var terminated = false
        var consumer: CheckedContinuation<InboundEvent?, Never>?
        /// A yield found the queue over the high-water mark; producers wait for the low one.
        var overWatermark = false
        var roomWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var roomCallbacks: [@Sendable () -> Void] = []
        var nextWaiter: UInt64 = 0

        /// Everyone waiting for room, taken out to be woken outside the lock.
        mutating func takeRoomWaiters() -> Wakeups {
            overWatermark = false
            defer {
                roomWaiters.removeAll()
                roomCallbacks.removeAll()
            }
            return Wakeups(waiters: Array(roomWaiters.values), callbacks: roomCallbacks)
        }
    }

    private struct Wakeups {
        var waiters: [CheckedContinuation<Void, Never>] = []
        var callbacks: [@Sendable () -> Void] = []

        func wake() {
            for waiter in waiters { waiter.resume() }
            for callback in callbacks { callback() }
        }
    }

    package init() {}

    // MARK: Producing

    /// Adds `event`; false when the queue is now over its high-water mark and the producer
    /// should pause until there is room. Events after ``finish()`` or the consumer's end are dropped.
    @discardableResult
    package func yield(_ event: InboundEvent) -> Bool {
        let (consumer, hasRoom) = state.withLock { state -> (CheckedContinuation<InboundEvent?, Never>?, Bool) in
            guard !state.finished, !state.terminated else { return (nil, true) }
            if let consumer = state.consumer {
                state.consumer = nil
                return (consumer, true)
            }
            state.events.append(event)
            state.bytes += Self.weight(of: event)
            if state.bytes > Self.highWatermark { state.overWatermark = true }
            return (nil, !state.overWatermark)
        }
        consumer?.resume(returning: event)
        return hasRoom
    }

    /// No more events: the consumer reads what is buffered, then the end.
    package func finish() {
        let consumer = state.withLock { state -> CheckedContinuation<InboundEvent?, Never>? in
            state.finished = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: nil)
    }

    /// Returns once the queue has room (at once when it has), or it has ended.
    package func waitForRoom() async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    guard state.overWatermark, !state.terminated, !Task.isCancelled else { return true }
                    state.roomWaiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.roomWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Calls `callback` once the queue has room: at once when it has, otherwise from the
    /// consumer's thread when it drains below the low-water mark (or ends).
    package func whenRoom(_ callback: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            guard state.overWatermark, !state.terminated else { return true }
            state.roomCallbacks.append(callback)
            return false
        }
        if now { callback() }
    }

    // MARK: Consuming

    package struct AsyncIterator: AsyncIteratorProtocol {
        let queue: InboundQueue

        package mutating func next() async -> InboundEvent? {
            await queue.next()
        }
    }

    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: self)
    }

    private func next() async -> InboundEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InboundEvent?, Never>) in
                var wakeups = Wakeups()
                let ready = state.withLock { state -> InboundEvent?? in
                    if let event = state.events.popFirst() {
                        state.bytes -= Self.weight(of: event)
                        if state.overWatermark && state.bytes <= Self.lowWatermark { wakeups = state.takeRoomWaiters() }
                        return .some(event)
                    }
                    if state.finished || state.terminated { return .some(nil) }
                    if Task.isCancelled {
                        state.terminated = true
                        wakeups = state.takeRoomWaiters()
                        return .some(nil)
                    }
                    state.consumer = continuation
                    return .none
                }
                wakeups.wake()
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            terminate()
        }
    }

    /// The consumer is gone: drop what is buffered, release producers, end the iteration.
    private func terminate() {
        let (consumer, wakeups) = state.withLock { state -> (CheckedContinuation<InboundEvent?, Never>?, Wakeups) in
            state.terminated = true
            state.events.removeAll()
            state.bytes = 0
            defer { state.consumer = nil }
            return (state.consumer, state.takeRoomWaiters())
        }
        consumer?.resume(returning: nil)
        wakeups.wake()
    }

    private static func weight(of event: InboundEvent) -> Int {
        if case .frame(.line(let bytes)) = event { return bytes.count + eventOverhead }
        return eventOverhead
    }
}
