#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncTargets

/// The one writer of a target's state during a pass. Every outcome is on disk before the call
/// that records it returns, so a pass that dies half way keeps everything it did.
///
/// Outcomes are appended to the state's journal, which costs what one record costs; the state
/// file is written whole when a pass ends or the journal has grown long.
public actor StateRecorder {
    public private(set) var state: SyncState
    private let store: StateStore
    private let journal: StateJournal
    private let now: @Sendable () -> Date
    /// Whether the state file exists: the journal only ever extends one.
    private var hasStateFile: Bool
    /// The serial known to be on disk, and the flush in flight: concurrent outcomes share one
    /// `fdatasync` (group commit), which costs milliseconds where the write costs microseconds.
    private var durableSerial = 0
    private var flush: Task<Void, any Error>?
    /// `setRegistration` changed what the state file holds.
    private var registrationChanged = false

    /// Past this many entries the journal is folded into the state file even in mid-pass, so that
    /// loading stays quick after a long run of failures.
    static let journalLimit = 10_000

    public init(state: SyncState, store: StateStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.state = state
        self.store = store
        self.journal = StateJournal(path: store.journalPath)
        // Whole seconds, as the file stores dates: the state in memory is the state on disk.
        self.now = { Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down)) }
        self.hasStateFile = FileManager.default.fileExists(atPath: store.path)
    }

    /// The remote spec now holds exactly the body with `bodyHash`.
    public func recordSuccess(
        bundle: BundleID, renamedFrom: BundleID?, remote: RemoteSpec, bodyHash: String, specBlob: String?, commit: String
    ) async throws {
        var record = state[bundle] ?? BundleRecord()
        // Heals re-send the same body; a new body from git ends the loop breaker's count.
        if record.bodyHash != bodyHash { record.consecutiveHeals = nil }
        record.setRemoteID(remote.id)
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
        try await set(bundle, record, replacing: renamedFrom)
    }

    /// The bundle could not be synced this time; it stays pending and is retried.
    public func recordFailure(bundle: BundleID, renamedFrom: BundleID?, name: String?, error: String, bodyHash: String? = nil) async throws {
        var record = state[bundle] ?? renamedFrom.flatMap { state[$0] } ?? BundleRecord()
        record.name = name ?? record.name
        record.lastError = error
        record.consecutiveFailures += 1
        record.lastAttemptAt = now()
        record.failedBodyHash = bodyHash
        try await set(bundle, record, replacing: renamedFrom)
    }

    /// Applies `change` to the record of `bundle` and saves, for changes decided outside a pass
    /// (drift found by the daemon).
    public func update(_ bundle: BundleID, _ change: (inout BundleRecord) -> Void) async throws {
        guard var record = state[bundle] else { return }
        change(&record)
        try await set(bundle, record)
    }

    /// The pass covered every bundle at `commit`: later tree diffs start here. The state file is
    /// written whole, taking in the pass's journal.
    public func finishPass(commit: String, inputsFingerprint: String? = nil) async throws {
        let moved = state.lastSyncedCommit != commit || state.inputsFingerprint != inputsFingerprint
        guard moved || journal.count > 0 || !hasStateFile || registrationChanged else { return }
        await settleFlush()
        let previous = (state.lastSyncedCommit, state.inputsFingerprint, state.serial)
        state.lastSyncedCommit = commit
        state.inputsFingerprint = inputsFingerprint
        state.serial += 1
        do { try writeStateFile() } catch {
            (state.lastSyncedCommit, state.inputsFingerprint, state.serial) = previous
            throw error
        }
        registrationChanged = false
    }

    /// Which specs still wait for their flow spec after a pass's registration; written with the
    /// state file when the pass ends (until then, the pass's bundles are looked at again anyway).
    public func setRegistration(_ registration: FlowSpecRegistration) {
        guard state.registration != registration else { return }
        state.registration = registration
        registrationChanged = true
    }

    /// Forgets a bundle whose remote spec was deleted by prune.
    public func remove(_ bundle: BundleID) async throws {
        try await set(bundle, nil)
    }

    /// Records `record` for `bundle` durably, in the same write dropping the record of the bundle it
    /// was renamed from; returns once it is on disk.
    private func set(_ bundle: BundleID, _ record: BundleRecord?, replacing renamedFrom: BundleID? = nil) async throws {
        var changes = [StateJournalEntry.RecordChange(bundle: bundle.source, record: record)]
        if let renamedFrom, renamedFrom != bundle, state[renamedFrom] != nil {
            changes.insert(StateJournalEntry.RecordChange(bundle: renamedFrom.source, record: nil), at: 0)
        }
        let entry = StateJournalEntry(serial: state.serial + 1, change: .records(changes))
        // Applied in place (a copy of the state per record made a pass quadratic in its size) and
        // taken back if it cannot be written.
        let previousSerial = state.serial
        let previousRecords = changes.map { (bundle: $0.bundle, record: state.bundles[$0.bundle]) }
        let appends = hasStateFile && journal.count < Self.journalLimit
        if !appends { await settleFlush() }
        state.apply(entry)
        do {
            if appends {
                try journal.write(entry)
            } else {
                try writeStateFile()
            }
        } catch {
            state.serial = previousSerial
            for previous in previousRecords.reversed() { state.bundles[previous.bundle] = previous.record }
            throw error
        }
        try await waitUntilDurable(entry.serial)
    }

    /// Returns once the journal is flushed up to `serial`: starts a flush that covers every line
    /// written so far, or waits for the one in flight and looks again.
    private func waitUntilDurable(_ serial: Int) async throws {
        while durableSerial < serial {
            if let flush {
                _ = try await flush.value
                if self.flush == flush { self.flush = nil }
                continue
            }
            guard let handle = journal.syncHandle else {
                durableSerial = max(durableSerial, serial)  // written whole by writeStateFile
                return
            }
            let covered = state.serial
            let task = Task.detached { try handle.sync() }
            flush = task
            defer { if flush == task { flush = nil } }
            try await task.value
            durableSerial = max(durableSerial, covered)
        }
    }

    /// Waits until no flush is in flight, so that the journal can be closed under none.
    private func settleFlush() async {
        while let current = flush {
            _ = try? await current.value
            if flush == current { flush = nil }
        }
    }

    /// Writes the state whole, taking in the journal.
    private func writeStateFile() throws {
        try store.save(state)
        journal.close()
        hasStateFile = true
        durableSerial = state.serial
    }
}
