import Foundation

/// When the running pass started, if one runs: what the systemd watchdog asks about, so a pass that
/// hangs (not just a process that hangs) gets the service restarted.
public final class PassActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var startedAt: ContinuousClock.Instant?

    public init() {}

    func begin() { lock.withLock { startedAt = .now } }
    func end() { lock.withLock { startedAt = nil } }

    /// False once a single pass has run longer than `limit`.
    public func isResponsive(limit: Duration) -> Bool {
        lock.withLock { startedAt.map { ContinuousClock.now - $0 < limit } ?? true }
    }
}
