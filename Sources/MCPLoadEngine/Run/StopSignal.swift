import Synchronization

/// Tells a loop that polls it to stop, without cancelling what it has under way.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    func set() { stopped.store(true, ordering: .releasing) }

    var isSet: Bool { stopped.load(ordering: .acquiring) }
}
