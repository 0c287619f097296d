import Logging
import ServiceLifecycle

/// Feeds systemd's watchdog (`WatchdogSec=`) while the daemon is healthy.
///
/// A process that is merely alive is not enough: each tick first asks `health`, and withholds the
/// ping while it answers false (the reconcile loop is wedged), so systemd kills and restarts the
/// daemon once `WatchdogSec=` passes without one. Pings resume if health comes back before that.
/// A `health` that never returns withholds pings too, which is the point; keep it cheap.
///
/// Stops at graceful shutdown or cancellation: systemd does not watch a unit that is stopping
/// (`TimeoutStopSec=` applies instead).
public struct WatchdogService: Service {
    public let notifier: SystemdNotifier
    public let interval: Duration
    private let health: @Sendable () async -> Bool
    private let logger: Logger

    public init(
        notifier: SystemdNotifier, interval: Duration, logger: Logger,
        health: @escaping @Sendable () async -> Bool = { true }
    ) {
        self.notifier = notifier
        self.interval = interval
        self.logger = logger
        self.health = health
    }

    /// The watchdog systemd configured for this process, or nil when there is none to feed
    /// (no `$NOTIFY_SOCKET`, no `$WATCHDOG_USEC`, or a `$WATCHDOG_PID` of another process).
    public init?(
        environment: [String: String], logger: Logger,
        health: @escaping @Sendable () async -> Bool = { true }
    ) {
        guard let interval = SystemdNotifier.watchdogInterval(environment: environment),
              let notifier = SystemdNotifier(environment: environment, logger: logger)
        else { return nil }
        self.init(notifier: notifier, interval: interval, logger: logger, health: health)
    }

    public func run() async throws {
        // Graceful shutdown cancels the loop; the loop treats cancellation as a normal end.
        await cancelWhenGracefulShutdown { await self.feed() }
    }

    private func feed() async {
        logger.debug("watchdog started", metadata: ["watchdog.interval": "\(interval)"])
        var healthy = true
        while !Task.isCancelled {
            let nowHealthy = await health()
            if Task.isCancelled { break }
            if nowHealthy {
                notifier.watchdog()
                if !healthy { logger.notice("daemon healthy again; watchdog pings resumed") }
            } else if healthy {
                logger.error("daemon unhealthy; withholding watchdog pings so systemd restarts it")
            }
            healthy = nowHealthy
            do { try await Task.sleep(for: interval) } catch { break }
        }
        logger.debug("watchdog stopped")
    }
}
