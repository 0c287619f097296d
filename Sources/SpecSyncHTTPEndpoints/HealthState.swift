#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// Readiness of the daemon: ready after the first successful pass, so a load balancer or a
/// deployment check does not count a daemon that has never synced anything as up. Liveness is
/// the server answering at all (`/healthz`); this actor only feeds `/readyz`.
public actor HealthState {
    private var ready = false
    private var lastPassAt: Date?
    private var lastSuccessAt: Date?
    private var lastCommit: String?
    private var passes = 0

    public init() {}

    /// Records the end of a pass; the first success makes the daemon ready for good.
    public func markPassCompleted(success: Bool, at date: Date) {
        passes += 1
        lastPassAt = date
        if success {
            lastSuccessAt = date
            ready = true
        }
    }

    /// The commit the current or last pass works from.
    public func setCommit(_ commit: String) {
        lastCommit = commit
    }

    public var isReady: Bool { ready }

    public func snapshot() -> HealthSnapshot {
        HealthSnapshot(
            ready: ready, lastPassAt: lastPassAt, lastSuccessAt: lastSuccessAt, lastCommit: lastCommit,
            passes: passes)
    }
}
