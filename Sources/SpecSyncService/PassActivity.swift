import Synchronization

/// When the running pass started, if one runs: what the systemd watchdog asks about, so a pass that
/// hangs (not just a process that hangs) gets the service restarted.
public final class PassActivity: Sendable {
    private let startedAt = Mutex<ContinuousClock.Instant?>(nil)

    public init() {}

    func begin() { startedAt.withLock { $0 = .now } }
    func end() { startedAt.withLock { $0 = nil } }

    /// False once a single pass has run longer than `limit`.
    public func isResponsive(limit: Duration) -> Bool {
        startedAt.withLock { startedAt in startedAt.map { ContinuousClock.now - $0 < limit } ?? true }
    }
}
