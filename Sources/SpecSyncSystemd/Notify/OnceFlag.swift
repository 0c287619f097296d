import Foundation

/// A flag that can be claimed once across every copy of the value holding it: a notifier that
/// cannot reach systemd says so once, not every 30 seconds.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    /// True for the first caller only.
    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}
