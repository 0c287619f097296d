import Logging
import SpecSyncCore
import SpecSyncTargets

/// Compares each managed resource's remote revision (`updatedAt`, or Flxpoint's content hash) with
/// the one recorded when specsync last wrote it. Reads only; what to do about drift is the policy's business.
public struct DriftDetector: Sendable {
    public let target: any SyncTarget

    public init(target: any SyncTarget) { self.target = target }

    public func check(_ state: SyncState) async throws -> DriftReport {
        var report = DriftReport()
        for (key, record) in state.bundles.sorted(by: { $0.key < $1.key }) {
            // Only settled records: a pending one is about to be written anyway.
            guard let id = record.id, record.lastError == nil, let recorded = record.recordedRevision else { continue }
            let bundle = BundleID(key)
            guard let remote = try await target.read(id: id, bundle: bundle) else {
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
