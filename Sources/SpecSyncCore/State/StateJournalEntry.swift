/// One change to a state, as appended to its journal between two full writes of the state file.
public struct StateJournalEntry: Sendable, Codable, Equatable {
    /// The state's serial after this change; replay skips entries the state file already holds.
    public var serial: Int
    public var change: Change

    public enum Change: Sendable, Codable, Equatable {
        /// Records replaced or removed together (a rename drops one and writes another).
        case records([RecordChange])
        /// A pass covered every bundle at `commit`.
        case pass(commit: String, inputsFingerprint: String?)
    }

    public struct RecordChange: Sendable, Codable, Equatable {
        public var bundle: String
        /// Nil removes the record.
        public var record: BundleRecord?

        public init(bundle: String, record: BundleRecord?) {
            self.bundle = bundle
            self.record = record
        }
    }

    public init(serial: Int, change: Change) {
        self.serial = serial
        self.change = change
    }
}

extension SyncState {
    /// This state with `entry` applied.
    public mutating func apply(_ entry: StateJournalEntry) {
        serial = entry.serial
        switch entry.change {
        case .records(let changes):
            for change in changes { self[BundleID(change.bundle)] = change.record }
        case .pass(let commit, let inputsFingerprint):
            lastSyncedCommit = commit
            self.inputsFingerprint = inputsFingerprint
        }
    }
}
