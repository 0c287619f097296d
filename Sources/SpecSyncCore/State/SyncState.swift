#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What specsync knows about one target: which remote spec each bundle became, and the hash of
/// the body last sent. Level-triggered sync compares these hashes with the desired ones.
public struct SyncState: Sendable, Codable, Equatable {
    /// 2: one record per line, the pending and orphaned bundles and a checksum beside them, so that
    /// records are read only when asked for (`StateFileFormat`). 3: the same with a CRC-32C checksum
    /// instead of SHA-256 (`StateChecksum`). Versions 1 and 2 are still read, and written as 3.
    public static let currentSchemaVersion = 3

    /// The first schema whose files carry a checksum: one that does not hold is refused.
    public static let firstChecksummedSchemaVersion = 2

    public var schemaVersion: Int
    /// Random id fixed when the state is first written: a state file copied to another target is
    /// recognised by it together with `target`.
    public var lineage: String
    /// Incremented on every write.
    public var serial: Int
    public var target: TargetIdentity
    /// The commit whose bundles were all evaluated and recorded; tree diffs start from here.
    public var lastSyncedCommit: String?
    /// Fingerprint of what besides git shapes the bodies (patches, credential files) at that commit:
    /// when it changes, every bundle is compared again.
    public var inputsFingerprint: String?
    public var bundles: BundleRecords
    /// Flow spec registration as of the last pass; nil when not known (a state written before it
    /// was kept), and then every record is looked at.
    public var registration: FlowSpecRegistration?

    public init(target: TargetIdentity, lineage: String = UUID().uuidString.lowercased()) {
        self.schemaVersion = Self.currentSchemaVersion
        self.lineage = lineage
        self.serial = 0
        self.target = target
        self.lastSyncedCommit = nil
        self.bundles = [:]
    }

    /// Every write of a record goes through here (live, journal replay, adopt, import), so that a
    /// spec that lost its flow spec mark — a new remote id, or a record written afresh — joins the
    /// registration's waiting list.
    public subscript(bundle: BundleID) -> BundleRecord? {
        get { bundles[bundle.source] }
        set {
            if let newValue, newValue.id != nil, newValue.flowSpec == nil {
                let old = bundles[bundle.source]
                if old?.id != newValue.id || old?.flowSpec != nil { registration?.waiting.insert(bundle.source) }
            }
            bundles[bundle.source] = newValue
        }
    }
}

/// Which specs still have to be added to their flow spec, so that a pass looks at those and the
/// bundles it changed rather than at every record.
public struct FlowSpecRegistration: Sendable, Codable, Equatable {
    /// Fingerprint of the configured flow specs the waiting list was worked out for: when the
    /// configuration changes, every record is looked at again.
    public var mapping: String
    /// Bundles whose spec is not yet listed in its flow spec: new ids since the last registration,
    /// and registrations that failed.
    public var waiting: Set<String>

    public init(mapping: String, waiting: Set<String> = []) {
        self.mapping = mapping
        self.waiting = waiting
    }
}

/// Which remote a state belongs to.
public struct TargetIdentity: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The configuration's name for the target ("prod").
    public var name: String
    /// "flowService", "flxpoint", "versori".
    public var kind: String
    /// What makes the remote unique: base URL, org and sandbox for Flow Service.
    public var identity: String

    public init(name: String, kind: String, identity: String) {
        self.name = name
        self.kind = kind
        self.identity = identity
    }

    public var description: String { "\(name) (\(kind) \(identity))" }

    /// Whether a state recorded for `self` belongs to `current`: the same kind and account. States
    /// written before the identity left out the address (`<base URL> org=… sandbox=…`, a bare URL for
    /// Flxpoint) still match on what follows the URL.
    public func isSameRemote(as current: TargetIdentity) -> Bool {
        guard kind == current.kind else { return false }
        return identity == current.identity || Self.withoutAddress(identity, kind: kind) == current.identity
    }

    static func withoutAddress(_ identity: String, kind: String) -> String {
        guard identity.hasPrefix("http://") || identity.hasPrefix("https://") else { return identity }
        guard let space = identity.firstIndex(of: " ") else {
            return kind == "flxpoint" ? "account of the configured token" : identity
        }
        return String(identity[identity.index(after: space)...])
    }
}

/// One bundle's record: the remote spec it is, and what was last sent.
public struct BundleRecord: Sendable, Codable, Equatable {
    /// The remote id; nil until the spec exists remotely.
    public var id: String?
    public var name: String?
    /// SHA-256 of the canonical body last accepted by the server.
    public var bodyHash: String?
    /// Blob of the spec file and commit the body came from.
    public var specBlob: String?
    public var commit: String?
    /// Server timestamps, epoch milliseconds.
    public var createdAt: Int64?
    public var updatedAt: Int64?
    /// The remote's revision right after specsync's last write (see `RemoteSpec.revision`); absent in
    /// states written before it existed, where `updatedAt` served.
    public var revision: String?
    public var lastSyncedAt: Date?
    public var lastError: String?
    public var consecutiveFailures: Int
    /// When the last failed attempt was, and the body hash it tried to send: a daemon waits before
    /// trying the same body again, and tries a new body at once.
    public var lastAttemptAt: Date?
    public var failedBodyHash: String?
    /// The flow spec this spec was added to (`sourceConnectionSpecIds`), once verified.
    public var flowSpec: String?
    /// Heals of the same body (the remote diverged again each time); past the limit the bundle is
    /// quarantined. A new body from git resets it.
    public var consecutiveHeals: Int?
    /// Not sent again until its body changes in git or a run is forced: the remote kept diverging.
    public var quarantined: Bool?
    /// Removed from git and pruned where the API allows, or marked here where it does not.
    public var orphanedAt: Date?
    /// What kind of failure `lastError` describes, so that nothing reads it back from the words.
    public var failure: RecordFailure?
    /// Bodies sent whose answers were never seen (in flight when a run died, or lost): the remote may
    /// still come to hold one of them, and that is specsync's own write, not a change outside git.
    /// Empty in the normal course: a write's success removes its hash. At most
    /// `unconfirmedLimit` are kept, the newest.
    public var unconfirmedBodyHashes: [String]?

    public init(
        id: String? = nil, name: String? = nil, bodyHash: String? = nil, specBlob: String? = nil,
        commit: String? = nil, createdAt: Int64? = nil, updatedAt: Int64? = nil, lastSyncedAt: Date? = nil,
        lastError: String? = nil, consecutiveFailures: Int = 0
    ) {
        self.id = id
        self.name = name
        self.bodyHash = bodyHash
        self.specBlob = specBlob
        self.commit = commit
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastSyncedAt = lastSyncedAt
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
    }

    /// Points the record at remote spec `id`; another spec than before is in no flow spec yet.
    public mutating func setRemoteID(_ id: String) {
        if self.id != id { flowSpec = nil }
        self.id = id
    }

    /// The revision conflict and drift checks compare against.
    public var recordedRevision: String? { revision ?? updatedAt.map(String.init) }

    /// True when the record does not prove that the remote matches `bodyHash`.
    public var isPending: Bool { id == nil || bodyHash == nil || lastError != nil }

    public static let unconfirmedLimit = 4

    /// Every body hash specsync has sent for this bundle that the remote may hold: the last one
    /// confirmed and those still unconfirmed.
    public var sentBodyHashes: [String] { (bodyHash.map { [$0] } ?? []) + (unconfirmedBodyHashes ?? []) }
}

/// Why a record is failing: the typed status beside `BundleRecord.lastError`'s words.
public enum RecordFailure: String, Sendable, Codable, CaseIterable {
    /// The bundle has errors and is not sent.
    case invalid
    /// The write failed (network, server, a refusal of the body); retried with backoff.
    case failed
    /// Not written because the remote changed outside git (`--force` or `onConflict: overwrite`).
    case conflict
    /// The recorded remote resource was deleted outside git.
    case missing
    /// Several remote resources of this client have the bundle's name.
    case ambiguous
    /// The daemon found the remote changed or deleted outside git and will write it again.
    case drifted
    /// Diverged again after every heal: not sent until git changes it or a run is forced.
    case quarantined
}
