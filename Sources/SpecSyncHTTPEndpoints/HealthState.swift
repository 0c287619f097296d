#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// Readiness of the daemon: ready once a pass has run, and while the last pass ran, so a load
/// balancer or a deployment check neither counts a daemon that has never synced anything as up nor
/// one whose passes cannot run at all (ref deleted, out of descriptors, state refused). Bundles
/// that fail inside a pass that ran do not make it unready. Liveness is the server answering at
/// all (`/healthz`); this actor only feeds `/readyz`.
public actor HealthState {
    private var ready = false
    private var lastPassAt: Date?
    private var lastSuccessAt: Date?
    private var lastCommit: String?
    private var passes = 0
    private var role: DaemonRole?

    public init() {}

    /// Records the end of a pass: `success` is a pass that ran (some bundles may have failed);
    /// a pass that could not run makes the daemon unready until the next one that does.
    public func markPassCompleted(success: Bool, at date: Date) {
        passes += 1
        lastPassAt = date
        ready = success
        if success { lastSuccessAt = date }
    }

    /// The commit the current or last pass works from.
    public func setCommit(_ commit: String) {
        lastCommit = commit
    }

    /// A standby is ready: it serves and forwards triggers, and is what a load balancer may send a
    /// webhook to. A leader stays as ready as it was until its own passes say otherwise, so a
    /// failover does not flap readiness.
    public func setRole(_ role: DaemonRole) {
        self.role = role
        if role == .standby { ready = true }
    }

    public var isReady: Bool { ready }

    public func snapshot() -> HealthSnapshot {
        HealthSnapshot(
            ready: ready, lastPassAt: lastPassAt, lastSuccessAt: lastSuccessAt, lastCommit: lastCommit,
            passes: passes, role: role)
    }
}
