/// The coordinated-omission correction, in one place.
///
/// A load generator that waits for a slow answer before sending the next request stops
/// measuring exactly while the server is slow: the requests it did not send are omitted, and
/// its percentiles look better than any user's experience (Gil Tene's "coordinated omission").
/// The open model schedules iteration starts independently of answers; an iteration that
/// starts late still counts from when it was due, so the lateness is charged to the latency.
package enum StartLag {
    /// The latency a user would have seen: from when the iteration was due to the answer.
    package static func corrected(_ measured: Duration, lag: Duration) -> Duration {
        measured + max(.zero, lag)
    }
}
