import Synchronization

/// A flag that can be claimed once across every copy of the value holding it: a notifier that
/// cannot reach systemd says so once, not every 30 seconds.
final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
