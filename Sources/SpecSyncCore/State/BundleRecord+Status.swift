extension BundleRecord {
    /// What a record says about its bundle, read from its typed fields, never from `lastError`'s words.
    public enum Status: Sendable, Equatable {
        /// The remote holds the body last sent (id and body hash recorded).
        case inSync
        /// Linked to a remote resource (adopted, imported) whose body git has not sent yet.
        case linked
        /// No remote resource yet: the next sync creates or adopts it.
        case notCreated
        /// The last write or check failed, of this kind; retried with backoff.
        case failed(RecordFailure)
        /// The remote kept diverging after every heal: not sent until git changes it or a run is forced.
        case quarantined
        /// The bundle left git; its resource could not be deleted and is no longer managed.
        case orphan

        /// The word the state verbs and `status` show, and JSON's `status` value.
        public var word: String {
            switch self {
            case .inSync: "in sync"
            case .linked: "linked"
            case .notCreated: "not created"
            case .failed(let failure): failure.rawValue
            case .quarantined: "quarantined"
            case .orphan: "orphan"
            }
        }

        /// Not yet proven to match the remote, and not failing: the next sync sends it.
        public var isPending: Bool { self == .linked || self == .notCreated }
    }

    public var status: Status {
        if quarantined == true || failure == .quarantined { return .quarantined }
        if let failure { return .failed(failure) }
        // States written before `failure` existed say only that something failed.
        if lastError != nil { return .failed(.failed) }
        if orphanedAt != nil { return .orphan }
        if id == nil { return .notCreated }
        return bodyHash == nil ? .linked : .inSync
    }
}
