/// The difference between what git says and what the state records, bundle by bundle.
public struct Plan: Sendable {
    /// The commit the desired bodies come from.
    public let commit: String?
    /// The commit the state was last synced at, if any.
    public let baseCommit: String?
    /// Sorted by bundle.
    public let changes: [PlannedChange]
    /// Unchanged bundles counted but not listed in `changes` (a sync needs only their number).
    public let unlistedUnchanged: Int

    public init(commit: String?, baseCommit: String?, changes: [PlannedChange], unlistedUnchanged: Int = 0) {
        self.commit = commit
        self.baseCommit = baseCommit
        self.changes = changes.sorted { $0.bundle < $1.bundle }
        self.unlistedUnchanged = unlistedUnchanged
    }

    public func count(_ action: PlannedChange.Action) -> Int {
        changes.lazy.filter { $0.action == action }.count + (action == .unchanged ? unlistedUnchanged : 0)
    }

    /// True when a pass would write to the remote.
    public var hasPendingWrites: Bool {
        changes.contains { $0.action == .create || $0.action == .update }
    }
}
