#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncTargets

/// The one writer of a target's state during a pass. Every outcome is durable before the call
/// that records it returns (or, for `recordedUnflushed`, before `flushed` returns for it), so a
/// pass that dies half way keeps everything it counted as done.
///
/// Where the state is kept is the backend's business (`StateBackend`: a file and its journal, or
/// PostgreSQL); every change of a record goes through the transitions below, in order.
public actor StateRecorder {
    /// The state as recorded. Not to be read while parked (`park`): its records are on disk then.
    public private(set) var state: SyncState {
        get {
            precondition(!isParked, "the state was read between passes, while its records were parked on disk")
            return current
        }
        _modify {
            precondition(!isParked, "the state was changed between passes, while its records were parked on disk")
            yield &current
        }
    }
    private var current: SyncState
    /// Whether the records were let go of until the next pass (`park`, `unpark`).
    public private(set) var isParked = false
    /// Where the last pass left the tree diff's base; kept while parked, for reading ahead.
    public var lastSyncedCommit: String? { current.lastSyncedCommit }
    private let backend: any StateBackend
    private let now: @Sendable () -> Date
    /// `setRegistration` changed what the state holds beside its records.
    private var registrationChanged = false

    public init(state: SyncState, backend: sending any StateBackend, now: @escaping @Sendable () -> Date = Date.init) {
        self.current = state
        self.location = backend.location
        self.backend = backend
        // Whole seconds, as the state stores dates: the state in memory is the state recorded.
        self.now = { Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down)) }
    }

    /// A recorder over the state file of `store`, holding `lock` if given.
    public init(state: SyncState, store: StateStore, lock: StateLock? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        self.init(state: state, backend: FileStateBackend(store: store), now: now)
        if let lock { lease.hold(lock) }
    }

    /// Where the state is, for messages.
    public nonisolated let location: String
    /// Whether a state was recorded before this recorder opened it.
    public private(set) var existed = false
    /// The state lock, once taken (`open`): released by `close()` or when the process exits.
    private nonisolated let lease = StateLeaseHolder()

    /// The one way to start writing a target's state: takes its lock (or fails once `lockTimeout`
    /// has passed, naming the holder), then loads the state, refusing one of another remote (a
    /// missing state is a new one).
    public static func open(backend: sending any StateBackend, for target: TargetIdentity, lockTimeout: Duration = .zero) async throws -> StateRecorder {
        let recorder = StateRecorder(state: SyncState(target: target), backend: backend)
        try await recorder.start(lockTimeout: lockTimeout) { state, location in
            try state?.owned(by: target, location: location) ?? SyncState(target: target)
        }
        return recorder
    }

    /// The same over the state file of `store`.
    public static func open(store: StateStore, for target: TargetIdentity) async throws -> StateRecorder {
        try await open(backend: FileStateBackend(store: store), for: target)
    }

    /// The same without the check that the state is `target`'s, for `rebound`; nil when there is no
    /// state to rebind.
    public static func openWhateverRemote(backend: sending any StateBackend, lockTimeout: Duration = .zero) async throws -> StateRecorder? {
        let recorder = StateRecorder(state: SyncState(target: TargetIdentity(name: "", kind: "", identity: "")), backend: backend)
        do {
            try await recorder.start(lockTimeout: lockTimeout) { state, _ in
                guard let state else { throw NoState() }
                return state
            }
            return recorder
        } catch is NoState {
            return nil
        }
    }

    private struct NoState: Error {}

    /// Takes the lock, then loads the state through `check`; releases the lock on any failure.
    private func start(lockTimeout: Duration, check: (SyncState?, String) throws -> SyncState) async throws {
        lease.hold(try await backend.lock(timeout: lockTimeout, isolation: self))
        do {
            let loaded = try await backend.load(isolation: self)
            existed = loaded != nil
            state = try check(loaded, backend.location)
        } catch {
            lease.release()
            throw error
        }
    }

    /// Whether the state lock is free: taken and released at once, or the error naming its holder.
    public static func probeLock(backend: sending any StateBackend) async throws {
        let recorder = StateRecorder(state: SyncState(target: TargetIdentity(name: "", kind: "", identity: "")), backend: backend)
        try await recorder.probe()
    }

    /// The same for the state file of `store`.
    public static func probeLock(store: StateStore) async throws {
        try await probeLock(backend: FileStateBackend(store: store))
    }

    private func probe() async throws {
        try await backend.lock(timeout: .zero, isolation: self).release()
    }

    /// Whether the lock was lost with the backend's database session: this writer must stop.
    public var hasLostLock: Bool { backend.hasLostLock }

    /// Releases the state lock, if this recorder holds it.
    public nonisolated func close() { lease.release() }

    // MARK: - Transitions: every change of a record is one of these

    /// Recorded: the remote now holds exactly the body with `bodyHash`.
    public func recorded(
        bundle: BundleID, renamedFrom: BundleID?, remote: RemoteSpec, bodyHash: String, specBlob: String?, commit: String
    ) async throws {
        let written = try await recordedUnflushed(
            bundle: bundle, renamedFrom: renamedFrom, remote: remote, bodyHash: bodyHash, specBlob: specBlob, commit: commit)
        try await flushed(written)
    }

    /// The same, returning once the record is written but before it is on disk: it counts as
    /// recorded only once `flushed` returns for it (or for a later write). The pass's writes call
    /// this, so that a write slot is free while its outcome is flushed, and one flush covers many.
    public func recordedUnflushed(
        bundle: BundleID, renamedFrom: BundleID?, remote: RemoteSpec, bodyHash: String, specBlob: String?, commit: String
    ) async throws -> Written {
        var record = state[bundle] ?? renamedFrom.flatMap { state[$0] } ?? BundleRecord()
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
        record.unconfirmedBodyHashes = Self.removing(bodyHash, from: record.unconfirmedBodyHashes)
        Self.clearFailure(&record)
        return try await append(changes(bundle, record, replacing: renamedFrom))
    }

    /// A record written by `recordedUnflushed`, not yet known to be on disk.
    public struct Written: Sendable, Comparable {
        let serial: Int
        public static func < (lhs: Written, rhs: Written) -> Bool { lhs.serial < rhs.serial }
    }

    /// Returns once `written` and every write before it are on disk (one flush covers them all).
    public func flushed(_ written: Written) async throws {
        try await backend.waitUntilDurable(written.serial, isolation: self)
    }

    /// Sending: these bodies are about to go out. Recorded for all of a pass's updates in one
    /// write before the first is sent, so that a run killed while they are still in flight can
    /// tell its own late writes from changes made outside git.
    public func sending(_ bodies: [(bundle: BundleID, renamedFrom: BundleID?, bodyHash: String)]) async throws {
        var changes: [(BundleID, BundleRecord)] = []
        for body in bodies {
            guard var record = state[body.renamedFrom ?? body.bundle] ?? state[body.bundle] else { continue }
            var unconfirmed = Self.removing(body.bodyHash, from: record.unconfirmedBodyHashes) ?? []
            unconfirmed.append(body.bodyHash)
            record.unconfirmedBodyHashes = Array(unconfirmed.suffix(BundleRecord.unconfirmedLimit))
            changes.append((body.renamedFrom ?? body.bundle, record))
        }
        try await set(changes)
    }

    /// Failed: not synced this time; the bundle stays pending and is retried. `kind` says why, for
    /// everything that counts or shows it; `error` says it in words.
    public func failed(
        bundle: BundleID, renamedFrom: BundleID?, name: String?, kind: RecordFailure, error: String, bodyHash: String? = nil
    ) async throws {
        var record = state[bundle] ?? renamedFrom.flatMap { state[$0] } ?? BundleRecord()
        record.name = name ?? record.name
        record.lastError = error
        record.failure = kind
        record.consecutiveFailures += 1
        record.lastAttemptAt = now()
        record.failedBodyHash = bodyHash
        try await set(bundle, record, replacing: renamedFrom)
    }

    /// Adopted: linked to a remote resource found by name, without claiming it holds git's body
    /// (no body hash), so that the next sync sends the desired body once.
    public func adopted(_ links: [(bundle: BundleID, name: String?, remote: RemoteSpec)]) async throws {
        try await set(links.map { link in
            var record = state[link.bundle] ?? BundleRecord()
            record.setRemoteID(link.remote.id)
            record.name = link.remote.name ?? link.name
            record.bodyHash = nil
            record.specBlob = nil
            record.commit = nil
            record.createdAt = link.remote.createdAt
            record.updatedAt = link.remote.updatedAt
            record.revision = link.remote.revision
            record.unconfirmedBodyHashes = nil
            Self.clearFailure(&record)
            return (link.bundle, record)
        })
    }

    /// Imported: a remote resource brought under git; its files are written and `record` says what
    /// they amount to.
    public func imported(bundle: BundleID, record: BundleRecord) async throws {
        try await set(bundle, record)
    }

    /// Registered: these specs are now listed in `flowSpec`. Written a line per 512 of them, not
    /// waited for: the pass's end writes the state whole right after (and a registration lost to a crash
    /// is found again by the next pass, which looks at the same bundles and reads the flow spec).
    /// So the last answer of a pass is followed by the state's write alone, not a flush before it.
    public func registered(_ bundles: [BundleID], in flowSpec: String) async throws {
        // Not one line for all: a first sync of 50,000 wrote (and held) a 35 MB line.
        for start in stride(from: bundles.startIndex, to: bundles.endIndex, by: Self.recordsPerRegistrationLine) {
            let chunk = bundles[start..<min(start + Self.recordsPerRegistrationLine, bundles.endIndex)]
            let records: [StateJournalEntry.RecordChange] = chunk.compactMap { bundle in
                guard var record = state[bundle] else { return nil }
                record.flowSpec = flowSpec
                return StateJournalEntry.RecordChange(bundle: bundle.source, record: record)
            }
            guard !records.isEmpty else { continue }
            _ = try await append(records)
        }
    }

    static let recordsPerRegistrationLine = 512

    /// Healed: the daemon found the remote changed (`remoteRevision`) or deleted (nil) outside git
    /// and will send git's body again; the remote's revision becomes the base, so that the conflict
    /// check lets that write through, and a deleted resource loses its id and is created again.
    public func healed(_ bundle: BundleID, remoteRevision: String?, heals: Int) async throws {
        guard var record = state[bundle] else { return }
        record.consecutiveHeals = heals
        record.failure = .drifted
        if let remoteRevision {
            record.revision = remoteRevision
            record.lastError = "drift: changed outside git"
        } else {
            record.id = nil
            record.flowSpec = nil
            record.lastError = "drift: deleted outside git"
        }
        try await set(bundle, record)
    }

    /// Quarantined: the remote kept diverging after every heal; not sent again until git changes the
    /// body or a run is forced.
    public func quarantined(_ bundle: BundleID, reason: String) async throws {
        guard var record = state[bundle] else { return }
        record.quarantined = true
        record.failure = .quarantined
        record.failedBodyHash = record.bodyHash
        record.lastError = reason
        try await set(bundle, record)
    }

    /// Marked orphan: the bundle left git and the API cannot delete its resource; the record stays,
    /// marked, and the resource is no longer managed.
    public func markedOrphan(_ bundle: BundleID) async throws {
        guard var record = state[bundle], record.orphanedAt == nil else { return }
        record.orphanedAt = now()
        try await set(bundle, record)
    }

    /// Forgotten: the record is dropped (its resource was pruned, it never had one, or a person
    /// asked); the remote is not touched.
    public func forgotten(_ bundles: [BundleID]) async throws {
        try await set(bundles.filter { state[$0] != nil }.map { ($0, nil) })
    }

    /// Moved: the record of `old` now belongs to bundle `new` (a folder renamed by hand, say); the
    /// remote is not touched. Refused when `new` has a record of its own.
    public func moved(_ old: BundleID, to new: BundleID) async throws {
        guard let record = state[old] else { throw StateRecordError("there is no record for bundle \(old)") }
        guard state[new] == nil else { throw StateRecordError("bundle \(new) has a record of its own; remove it first with `specsync state rm \(new)`") }
        try await set(new, record, replacing: old)
    }

    /// Rebound: the state now belongs to `target`, a real change of account that a person asked for.
    public func rebound(to target: TargetIdentity) async throws {
        guard state.target != target else { return }
        let previous = state.target
        state.target = target
        state.serial += 1
        do { try await backend.saveHeader(state, isolation: self) } catch {
            state.target = previous
            state.serial -= 1
            throw error
        }
    }

    /// Replaced: a whole state pushed by a person or a pipeline takes this one's place, written at
    /// once. Its serial moves past this one's, so that a stale copy is recognised later.
    public func replaced(with pushed: SyncState) async throws {
        let previous = state
        state = pushed
        state.target = previous.target
        state.serial = max(pushed.serial, previous.serial + 1)
        do { try await backend.save(state, isolation: self) } catch {
            state = previous
            throw error
        }
    }

    /// Settles the records a command changed outside a pass (adopt, import): the state file is
    /// written whole, taking in the journal; the last synced commit does not move.
    public func save() async throws {
        guard backend.hasUnsavedChanges else { return }
        state.serial += 1
        do { try await backend.saveHeader(state, isolation: self) } catch {
            state.serial -= 1
            throw error
        }
    }

    private static func clearFailure(_ record: inout BundleRecord) {
        record.lastError = nil
        record.failure = nil
        record.consecutiveFailures = 0
        record.lastAttemptAt = nil
        record.failedBodyHash = nil
        record.quarantined = nil
    }

    private static func removing(_ hash: String, from hashes: [String]?) -> [String]? {
        guard let hashes else { return nil }
        let kept = hashes.filter { $0 != hash }
        return kept.isEmpty ? nil : kept
    }

    /// The pass covered every bundle at `commit`: later tree diffs start here. The state file is
    /// written whole, taking in the pass's journal (a database writes what is beside the records).
    public func finishPass(commit: String, inputsFingerprint: String? = nil) async throws {
        let moved = state.lastSyncedCommit != commit || state.inputsFingerprint != inputsFingerprint
        guard moved || backend.hasUnsavedChanges || registrationChanged else { return }
        let previous = (state.lastSyncedCommit, state.inputsFingerprint, state.serial)
        // Compacted first: the pass's records are encoded once, and the file copies their lines.
        compact()
        state.lastSyncedCommit = commit
        state.inputsFingerprint = inputsFingerprint
        state.serial += 1
        do { try await backend.saveHeader(state, isolation: self) } catch {
            (state.lastSyncedCommit, state.inputsFingerprint, state.serial) = previous
            throw error
        }
        registrationChanged = false
    }

    /// Keeps the records as the lines of bytes they are written as, forgetting those decoded: what a
    /// daemon holds between passes is then about what the state file takes. Records nothing.
    public func compact() {
        state.bundles = state.bundles.compacted()
    }

    /// Between a daemon's passes: where the backend can read the records back by itself
    /// (`StateBackend.readsRecordsBack`) and holds nothing unsaved, lets go of them until `unpark`;
    /// otherwise keeps them compacted. Over 10,000 bundles the records are 4.5 MB of the idle
    /// daemon's 42 MB, and reading them again costs a few milliseconds at the next pass.
    public func park() {
        guard !isParked else { return }
        guard backend.readsRecordsBack, !backend.hasUnsavedChanges else {
            compact()
            return
        }
        current.bundles = BundleRecords()
        isParked = true
    }

    /// Reads the parked records back, under the lock still held, before a pass looks at the state.
    /// The state must still be this target's; one that is gone or was edited meanwhile is an error
    /// of this pass (and of each next one until it is put right), never replaced by an empty one.
    public func unpark() async throws {
        guard isParked else { return }
        guard let loaded = try await backend.load(isolation: self) else {
            throw StateError(subject: backend.location, path: backend.location, problem: "was removed while specsync held its lock",
                             help: "put it, or its .backup, back where it was: the next pass reads it again")
        }
        current = try loaded.owned(by: current.target, location: backend.location)
        isParked = false
    }

    /// Which specs still wait for their flow spec after a pass's registration; written with the
    /// state file when the pass ends (until then, the pass's bundles are looked at again anyway).
    public func setRegistration(_ registration: FlowSpecRegistration) {
        guard state.registration != registration else { return }
        state.registration = registration
        registrationChanged = true
    }

    /// Records `record` for `bundle` durably, in the same write dropping the record of the bundle it
    /// was renamed from; returns once it is on disk.
    private func set(_ bundle: BundleID, _ record: BundleRecord?, replacing renamedFrom: BundleID? = nil) async throws {
        try await write(changes(bundle, record, replacing: renamedFrom))
    }

    private func changes(_ bundle: BundleID, _ record: BundleRecord?, replacing renamedFrom: BundleID?) -> [StateJournalEntry.RecordChange] {
        var changes = [StateJournalEntry.RecordChange(bundle: bundle.source, record: record)]
        if let renamedFrom, renamedFrom != bundle, state[renamedFrom] != nil {
            changes.insert(StateJournalEntry.RecordChange(bundle: renamedFrom.source, record: nil), at: 0)
        }
        return changes
    }

    /// Several records in one durable write (one journal line, one flush).
    private func set(_ records: [(BundleID, BundleRecord?)]) async throws {
        guard !records.isEmpty else { return }
        try await write(records.map { StateJournalEntry.RecordChange(bundle: $0.0.source, record: $0.1) })
    }

    private func write(_ changes: [StateJournalEntry.RecordChange]) async throws {
        try await flushed(try await append(changes))
    }

    /// Applies `changes` and writes them behind every earlier write, without waiting for the disk.
    private func append(_ changes: [StateJournalEntry.RecordChange]) async throws -> Written {
        await backend.prepareWrite(isolation: self)
        let entry = StateJournalEntry(serial: state.serial + 1, change: .records(changes))
        // Applied in place (a copy of the state per record made a pass quadratic in its size) and
        // taken back if it cannot be written.
        let previousSerial = state.serial
        let previousRecords = changes.map { (bundle: $0.bundle, record: state.bundles[$0.bundle]) }
        state.apply(entry)
        do {
            try backend.write(entry, applied: state)
        } catch {
            state.serial = previousSerial
            for previous in previousRecords.reversed() { state.bundles[previous.bundle] = previous.record }
            throw error
        }
        return Written(serial: entry.serial)
    }
}

/// A state change that cannot be made as asked, in words.
public struct StateRecordError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
