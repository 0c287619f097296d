import Synchronization

/// Holds the lease a state writer took, so that it can be released once from any thread (a
/// command's `defer`, a daemon stopping) while the writer itself is an actor.
public final class StateLeaseHolder: Sendable {
    private let held = Mutex<(any StateLease)?>(nil)

    public init() {}

    public func hold(_ lease: any StateLease) {
        let previous = held.withLock { current in
            defer { current = lease }
            return current
        }
        previous?.release()
    }

    public func release() {
        held.withLock { current in
            defer { current = nil }
            return current
        }?.release()
    }
}
