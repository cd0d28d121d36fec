import NIOCore

/// Backpressure from an ``InboundQueue`` to the channel that fills it: reading stops while the
/// queue is full and resumes, on the channel's own event loop, once the session has caught up.
enum ReadPause {
    /// Stops automatic reads on `channel` (call on its event loop) until `queue` has room.
    static func pause(_ channel: any Channel, until queue: InboundQueue) {
        channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in
            queue.whenRoom {
                channel.eventLoop.execute {
                    channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in channel.read() }
                }
            }
        }
    }
}
