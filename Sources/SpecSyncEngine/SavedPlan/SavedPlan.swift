import SpecSyncCore

/// A plan written by `plan --out` and applied by `sync --once --plan`: the reconciler's decisions
/// with everything they were made from — the commit, the state's lineage and serial, each remote
/// revision seen, each body's hash — so that applying it can tell whether any of that moved.
/// Hashes and references only: never a body, never a secret.
public struct SavedPlan: Sendable, Equatable {
    /// The file's version: a reader refuses any other.
    public static let formatVersion = 1
    /// The file's `kind`, so that another JSON document is not taken for a plan.
    public static let kind = "specsync-plan"

    /// One decision as it was made. `reason` is for people and never compared.
    public struct Entry: Sendable, Equatable {
        public var bundle: BundleID
        public var decision: Decision.Kind
        public var name: String?
        public var remoteID: String?
        public var renamedFrom: BundleID?
        /// The hash of the body git wants (with patches and secrets applied).
        public var desiredHash: String?
        public var recordedHash: String?
        public var recordedRevision: String?
        /// The remote revision seen (Flow Service `updatedAt`, a Versori `updatedAt`, a content hash).
        public var remoteRevision: String?
        public var pruneMode: Decision.PruneMode?
        /// Remote resources with the bundle's name that this client did not create.
        public var foreign: [String]
        public var reason: String?

        public init(_ decision: Decision) {
            bundle = decision.bundle
            self.decision = decision.kind
            name = decision.name
            remoteID = decision.remoteID
            renamedFrom = decision.renamedFrom
            desiredHash = decision.desiredHash
            recordedHash = decision.recordedHash
            recordedRevision = decision.recordedRevision
            remoteRevision = decision.remoteRevision
            pruneMode = decision.pruneMode
            foreign = decision.foreign.map(\.id)
            reason = decision.reason
        }

        init(bundle: BundleID, decision: Decision.Kind) {
            self.bundle = bundle
            self.decision = decision
            foreign = []
        }

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.bundle == rhs.bundle && lhs.decision == rhs.decision && lhs.name == rhs.name && lhs.remoteID == rhs.remoteID
                && lhs.renamedFrom == rhs.renamedFrom && lhs.desiredHash == rhs.desiredHash && lhs.recordedHash == rhs.recordedHash
                && lhs.recordedRevision == rhs.recordedRevision && lhs.remoteRevision == rhs.remoteRevision
                && lhs.pruneMode == rhs.pruneMode && lhs.foreign == rhs.foreign
        }
    }

    public var target: TargetIdentity
    public var commit: String
    public var baseCommit: String?
    /// The state planned against; nil lineage: there was none (a stateless CI run).
    public var lineage: String?
    public var serial: Int
    /// `--bundle` patterns; empty: every bundle.
    public var selection: [String]
    public var fullScan: Bool
    /// Every decision but `unchanged`, sorted by bundle.
    public var entries: [Entry]

    public init(
        target: TargetIdentity, commit: String, baseCommit: String?, lineage: String?, serial: Int,
        selection: [String], fullScan: Bool, entries: [Entry]
    ) {
        self.target = target
        self.commit = commit
        self.baseCommit = baseCommit
        self.lineage = lineage
        self.serial = serial
        self.selection = selection
        self.fullScan = fullScan
        self.entries = entries.sorted { $0.bundle < $1.bundle }
    }

    /// The plan `decisions` make against `state` (nil or never written: none).
    public init(
        decisions: [Decision], target: TargetIdentity, commit: String, state: SyncState?, selection: BundleSelection?, fullScan: Bool
    ) {
        let written = state.flatMap { $0.serial > 0 ? $0 : nil }
        self.init(
            target: target, commit: commit, baseCommit: state?.lastSyncedCommit, lineage: written?.lineage, serial: written?.serial ?? 0,
            selection: selection?.patterns ?? [], fullScan: fullScan,
            entries: decisions.filter { $0.kind != .unchanged }.map(Entry.init))
    }
}
