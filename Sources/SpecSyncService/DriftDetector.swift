import Logging
import SpecSyncCore
import SpecSyncTargets

/// Compares each managed spec's remote `updatedAt` with the one recorded when specsync last wrote
/// it. Reads only; what to do about drift is the policy's business.
public struct DriftDetector: Sendable {
    public let target: any SpecTarget

    public init(target: any SpecTarget) { self.target = target }

    public func check(_ state: SyncState) async throws -> DriftReport {
        var report = DriftReport()
        for (key, record) in state.bundles.sorted(by: { $0.key < $1.key }) {
            // Only settled records: a pending one is about to be written anyway.
            guard let id = record.id, record.lastError == nil, let recorded = record.updatedAt else { continue }
            guard let remote = try await target.read(id: id) else {
                report.deleted.append(.init(bundle: BundleID(key), id: id, recordedUpdatedAt: recorded, remoteUpdatedAt: nil))
                continue
            }
            if remote.updatedAt != recorded {
                report.changed.append(.init(bundle: BundleID(key), id: id, recordedUpdatedAt: recorded, remoteUpdatedAt: remote.updatedAt))
            }
        }
        return report
    }
}
