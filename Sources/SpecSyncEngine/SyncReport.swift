#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncSource

/// What a pass did, bundle by bundle.
public struct SyncReport: Sendable {
    public struct Failure: Sendable {
        public let bundle: BundleID
        public let name: String?
        public let reason: String
    }

    public var commit: String = ""
    public var detection: DesiredState.Detection?
    public var created: [BundleID] = []
    /// Created earlier (a lost answer, or by someone else) and found by name instead of created again.
    public var adopted: [BundleID] = []
    public var updated: [BundleID] = []
    public var unchanged = 0
    public var failed: [Failure] = []
    public var invalid: [Failure] = []
    public var orphaned: [BundleID] = []
    /// Failing bundles not tried this pass because their backoff has not run out.
    public var deferred: [BundleID] = []
    /// The earliest moment a deferred bundle may be tried again.
    public var nextRetry: Date?
    /// The pass was asked to stop (shutdown) before every write was sent.
    public var stoppedEarly = false
    /// Bundles whose remote kept diverging: not sent until their body changes or a run is forced.
    public var quarantined: [BundleID] = []
    /// Specs added to their flow spec this pass.
    public var registered: [BundleID] = []
    /// Orphans deleted remotely, or marked where the API cannot delete.
    public var pruned: [BundleID] = []
    /// Why prune did less than it could, if it did.
    public var pruneRefused: String?
    public var duration: Duration = .zero

    public init() {}

    /// Every bundle in git is in sync.
    public var isInSync: Bool { failed.isEmpty && invalid.isEmpty && deferred.isEmpty && quarantined.isEmpty && !stoppedEarly }

    public var writes: Int { created.count + adopted.count + updated.count }
}
