import SpecSyncCore

/// What a long-running process remembers between passes so that it says a thing once: the drift
/// it already reported, and whether the last pass failed (the next good one is a recovery).
public actor NotificationMemory {
    private var reportedDrift: Set<String> = []
    private var lastPassFailed = false

    public init() {}

    /// The notification for `outcome`, less what was already said; remembers what it returns.
    public func notification(for outcome: PassOutcome) -> PassNotification {
        var items = NotificationBuilder.items(for: outcome)
        let drift = Set(items.filter { $0.event == .drift }.map(Self.driftKey))
        items.removeAll { $0.event == .drift && reportedDrift.contains(Self.driftKey($0)) }
        // A drift resolved (healed, or put back by hand) may come again and is then news.
        reportedDrift = drift
        let failed = outcome.failure != nil
        if lastPassFailed && !failed {
            items.append(PassNotification.Item(event: .recovered, bundle: nil, name: nil, reason: "the pass succeeded after a failed one"))
        }
        lastPassFailed = failed
        return PassNotification(target: outcome.target, commit: outcome.commit, items: items)
    }

    static func driftKey(_ item: PassNotification.Item) -> String { "\(item.bundle ?? "")\u{0}\(item.reason ?? "")" }
}
