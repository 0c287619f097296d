/// Where a target's state is kept: a file with its journal (the embedded default) or a database.
/// The one writer, `StateRecorder`, calls it from its own actor, one call at a time and in order,
/// so a backend needs no locking of its own; `isolation` keeps its async work on that actor.
public protocol StateBackend: AnyObject {
    /// What the state is called in messages: "state file /srv/prod.state.json",
    /// "PostgreSQL state of target prod at db.example:5432/specsync".
    var location: String { get }

    /// The state as last recorded; nil when none was written yet.
    func load(isolation: isolated (any Actor)?) async throws -> SyncState?

    /// Takes the target's lock, waiting up to `timeout` (zero: fails at once), or throws naming the
    /// holder. Held until the lease is released or the process ends.
    func lock(timeout: Duration, isolation: isolated (any Actor)?) async throws -> any StateLease

    /// Whether anything was written since the state was last saved whole, or it never was.
    var hasUnsavedChanges: Bool { get }

    /// Whether the lock this backend took is gone (its database session was lost): nothing more can
    /// be written, and the holder must stop rather than wait for a lock it may never get back.
    var hasLostLock: Bool { get }

    /// Called before each `write`: a backend may let work in flight end first.
    func prepareWrite(isolation: isolated (any Actor)?) async

    /// Starts recording `entry`, which `state` already holds, behind every earlier write. It counts
    /// as recorded once `waitUntilDurable(entry.serial)` returns. On a throw nothing was written.
    func write(_ entry: StateJournalEntry, applied state: SyncState) throws

    /// Returns once every write up to `serial` is durable.
    func waitUntilDurable(_ serial: Int, isolation: isolated (any Actor)?) async throws

    /// Writes `state` whole, after the writes in flight, replacing what is recorded.
    func save(_ state: SyncState, isolation: isolated (any Actor)?) async throws

    /// Writes what `state` holds beside its records (serial, last synced commit, registration,
    /// target), after the writes in flight; its records are those already written.
    func saveHeader(_ state: SyncState, isolation: isolated (any Actor)?) async throws

    /// Whether `load` gives back what this backend was last given, at a cost a daemon may pay once
    /// per pass instead of holding the records between passes (`StateRecorder.park`).
    var readsRecordsBack: Bool { get }
}

extension StateBackend {
    /// A lock that only ends with its process (an flock) is never lost.
    public var hasLostLock: Bool { false }

    /// A database is read a row at a time: a daemon keeps its records between passes.
    public var readsRecordsBack: Bool { false }
}

/// A held state lock: released once, from any thread.
public protocol StateLease: Sendable {
    func release()
}
