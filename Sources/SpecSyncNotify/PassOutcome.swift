import SpecSyncCore
import SpecSyncEngine

/// What one pass came to, as the notifications are built from it: the typed report and the state
/// before and after it (which says what started failing, what recovered, what was quarantined).
public struct PassOutcome: Sendable {
    public var target: String
    public var commit: String?
    public var report: SyncReport?
    /// Why the pass stopped for every bundle, when it did.
    public var failure: String?
    public var before: SyncState?
    public var after: SyncState?
    /// What the daemon's drift check found this pass.
    public var drift: DriftReport?

    public init(target: String, commit: String? = nil, report: SyncReport? = nil, failure: String? = nil,
                before: SyncState? = nil, after: SyncState? = nil, drift: DriftReport? = nil) {
        self.target = target
        self.commit = commit
        self.report = report
        self.failure = failure
        self.before = before
        self.after = after
        self.drift = drift
    }
}
