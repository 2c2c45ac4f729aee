import Synchronization

/// A flag a network loop polls once per iteration; set from another thread or a signal handler.
/// Lock-free, so setting it is async-signal-safe.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .relaxed) }
    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}
