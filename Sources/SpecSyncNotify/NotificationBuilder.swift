import SpecSyncCore
import SpecSyncEngine

/// Turns a pass's typed outcome into notification items. A bundle's failure is news when it starts
/// or changes (another kind of failure, another body failing), not at every pass that retries it;
/// the state before and after the pass tells which.
enum NotificationBuilder {
    static func items(for outcome: PassOutcome) -> [PassNotification.Item] {
        var items: [PassNotification.Item] = []
        if let failure = outcome.failure {
            items.append(.init(event: .passFailed, bundle: nil, name: nil, reason: failure))
        }
        let before = outcome.before
        let after = outcome.after
        for entry in outcome.report?.entries ?? [] {
            let bundle = entry.decision.bundle
            let old = before?[bundle]
            let new = after?[bundle]
            let name = entry.decision.name ?? new?.name ?? old?.name
            let reason = entry.decision.reason ?? new?.lastError ?? entry.result.rawValue
            if entry.decision.kind == .conflict && entry.result == .refused {
                if old?.failure != .conflict {
                    items.append(.init(event: .conflict, bundle: bundle.description, name: name, reason: reason))
                }
            } else if entry.result.isFailure {
                let isNew = old?.lastError == nil || old?.failure != new?.failure || old?.failedBodyHash != new?.failedBodyHash
                if isNew || new == nil {
                    items.append(.init(event: .bundleFailed, bundle: bundle.description, name: name, reason: reason))
                }
            }
        }
        for (bundle, record) in recordPairs(before: before, after: after) {
            if record.after?.quarantined == true && record.before?.quarantined != true {
                items.append(.init(event: .quarantine, bundle: bundle.description, name: record.after?.name,
                                   reason: record.after?.lastError ?? "its remote kept diverging after every heal"))
            }
            if record.before?.lastError != nil, let now = record.after, now.lastError == nil, now.quarantined != true {
                items.append(.init(event: .recovered, bundle: bundle.description, name: now.name, reason: "in sync again"))
            }
        }
        for change in outcome.drift?.changed ?? [] {
            items.append(.init(event: .drift, bundle: change.bundle.description, name: after?[change.bundle]?.name,
                               reason: "changed outside git (revision \(change.recordedRevision ?? "?") → \(change.remoteRevision ?? "?"))"))
        }
        for change in outcome.drift?.deleted ?? [] {
            items.append(.init(event: .drift, bundle: change.bundle.description, name: after?[change.bundle]?.name,
                               reason: "deleted outside git (id \(change.id))"))
        }
        return items
    }

    /// Every bundle with a record before or after, in bundle order.
    static func recordPairs(before: SyncState?, after: SyncState?) -> [(BundleID, (before: BundleRecord?, after: BundleRecord?))] {
        let bundles = Set((before?.bundles.keys ?? []) + (after?.bundles.keys ?? [])).map { BundleID($0) }.sorted()
        return bundles.map { ($0, (before?[$0], after?[$0])) }
    }
}
