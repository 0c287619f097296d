import Foundation
import SpecSyncCore
import SpecSyncTargets

/// The one writer of a target's state during a pass. Every outcome is written to disk before the
/// next one is taken, so a pass that dies half way keeps everything it did.
public actor StateRecorder {
    public private(set) var state: SyncState
    private let store: StateStore
    private let now: @Sendable () -> Date

    public init(state: SyncState, store: StateStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.state = state
        self.store = store
        self.now = now
    }

    /// The remote spec now holds exactly the body with `bodyHash`.
    public func recordSuccess(
        bundle: BundleID, renamedFrom: BundleID?, remote: RemoteSpec, bodyHash: String, specBlob: String?, commit: String
    ) throws {
        if let renamedFrom, renamedFrom != bundle { state[renamedFrom] = nil }
        var record = state[bundle] ?? BundleRecord()
        // Heals re-send the same body; a new body from git ends the loop breaker's count.
        if record.bodyHash != bodyHash { record.consecutiveHeals = nil }
        record.id = remote.id
        record.name = remote.name ?? record.name
        record.bodyHash = bodyHash
        record.specBlob = specBlob
        record.commit = commit
        record.createdAt = remote.createdAt ?? record.createdAt
        record.updatedAt = remote.updatedAt ?? record.updatedAt
        record.revision = remote.revision ?? record.revision
        record.lastSyncedAt = now()
        record.lastError = nil
        record.consecutiveFailures = 0
        record.lastAttemptAt = nil
        record.failedBodyHash = nil
        record.quarantined = nil
        state[bundle] = record
        try save()
    }

    /// The bundle could not be synced this time; it stays pending and is retried.
    public func recordFailure(bundle: BundleID, renamedFrom: BundleID?, name: String?, error: String, bodyHash: String? = nil) throws {
        var record = state[bundle] ?? renamedFrom.flatMap { state[$0] } ?? BundleRecord()
        if let renamedFrom, renamedFrom != bundle, state[renamedFrom] != nil {
            state[renamedFrom] = nil
        }
        record.name = name ?? record.name
        record.lastError = error
        record.consecutiveFailures += 1
        record.lastAttemptAt = now()
        record.failedBodyHash = bodyHash
        state[bundle] = record
        try save()
    }

    /// Applies `change` to the record of `bundle` and saves, for changes decided outside a pass
    /// (drift found by the daemon).
    public func update(_ bundle: BundleID, _ change: (inout BundleRecord) -> Void) throws {
        guard var record = state[bundle] else { return }
        change(&record)
        state[bundle] = record
        try save()
    }

    /// The pass covered every bundle at `commit`: later tree diffs start here.
    public func finishPass(commit: String, inputsFingerprint: String? = nil) throws {
        guard state.lastSyncedCommit != commit || state.inputsFingerprint != inputsFingerprint else { return }
        state.lastSyncedCommit = commit
        state.inputsFingerprint = inputsFingerprint
        try save()
    }

    /// Forgets a bundle whose remote spec was deleted by prune.
    public func remove(_ bundle: BundleID) throws {
        state[bundle] = nil
        try save()
    }

    private func save() throws {
        state.serial += 1
        try store.save(state)
    }
}
