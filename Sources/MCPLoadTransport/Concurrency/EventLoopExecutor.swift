import NIOCore
import NIOPosix

/// Swift concurrency's tasks on the same threads as the sockets and pipes they wait on.
///
/// Without this, every request crosses threads twice: a virtual client's task runs on Swift's
/// global pool, its POST is written and its answer read on a SwiftNIO event loop, and each
/// hand-over wakes a thread on the other side (0.75 context switches per call against wrk's
/// 0.13, `scripts/bench-http`). With the event loops as the global executor, a task resumed by
/// an answer runs on the loop that read it. The closed model over HTTP uses it; the open model
/// (its dispatcher's timers would queue behind the loops' I/O) and stdio runs (a 30-minute churn
/// soak grew past 1% per 10 minutes on the loops) do not: `RunCommand.runsOnEventLoops`.
package enum EventLoopExecutor {
    /// Makes SwiftNIO's shared event loops Swift's global executor, once, from the main thread,
    /// before the run starts any task of its own. Blocking work must stay off tasks after this
    /// (it would hold a loop's sockets): mcpload does its blocking reads on threads of its own.
    /// Returns whether the switch was made (false where the runtime offers no hook).
    @discardableResult
    package static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
