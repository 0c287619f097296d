import Logging
import SpecSyncCore
import SpecSyncTargets

/// Compares each managed resource's remote revision (`updatedAt`, or Flxpoint's content hash) with
/// the one recorded when specsync last wrote it. Reads only, with one listing where the API has one
/// (a GET per record otherwise); what to do about drift is the reconciler's business.
public struct DriftDetector: Sendable {
    public let target: any SyncTarget

    public init(target: any SyncTarget) { self.target = target }

    public func check(_ state: SyncState) async throws -> DriftReport {
        // Only settled records: a pending one is about to be written anyway.
        let settled = state.bundles.sorted(by: { $0.key < $1.key }).compactMap { key, record -> (BundleID, String, String)? in
            guard let id = record.id, record.lastError == nil, let recorded = record.recordedRevision else { return nil }
            return (BundleID(key), id, recorded)
        }
        var report = DriftReport()
        guard !settled.isEmpty else { return report }
        let listed = try await target.list(bundles: settled.map(\.0)).map(RemoteListing.init)
        for (bundle, id, recorded) in settled {
            let remote = if let listed { listed.byID[id] } else { try await target.read(id: id, bundle: bundle) }
            guard let remote else {
                report.deleted.append(.init(bundle: bundle, id: id, recordedRevision: recorded, remoteRevision: nil))
                continue
            }
            if remote.revision != recorded {
                report.changed.append(.init(bundle: bundle, id: id, recordedRevision: recorded, remoteRevision: remote.revision))
            }
        }
        return report
    }
}
