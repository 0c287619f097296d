import Synchronization

/// Set once on graceful shutdown; read by the engine before it starts each write.
public final class StopFlag: Sendable {
    private let stopped = Mutex(false)

    public init() {}

    public func stop() { stopped.withLock { $0 = true } }
    public var isStopped: Bool { stopped.withLock { $0 } }
}
