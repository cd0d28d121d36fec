import Synchronization

/// A value shared by reference between threads, behind a lock: for state an event loop's
/// handler fills and a task reads afterwards (a `Mutex` alone cannot be captured or shared).
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) {
        mutex = Mutex(value)
    }

    package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
