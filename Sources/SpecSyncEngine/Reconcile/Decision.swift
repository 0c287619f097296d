#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// What a pass does with one bundle: the one vocabulary of the reconciler. `plan` renders these,
/// `sync` applies them, the daemon's drift check produces them, and a saved plan is a list of them.
/// The raw values are part of the JSON output (`formatVersion` 2) and never change meaning.
public struct Decision: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// No resource of this client has the name: POST.
        case create
        /// A resource of this client has the name but no record links it (a lost answer or a lost
        /// state): PUT git's body over it and record it.
        case adopt
        /// The body changed since it was last sent: PUT.
        case update
        /// The remote already holds exactly git's body (specsync's own write whose record was lost):
        /// recorded, nothing sent.
        case record
        case unchanged
        /// The remote changed outside git since specsync wrote it: refused.
        case conflict
        /// The recorded resource was deleted outside git: not re-created on its own.
        case missing
        /// Several resources of this client have the name: nothing is guessed.
        case ambiguous
        /// Failing, and its backoff has not run out.
        case deferred
        /// Diverged again after every heal: held back until git changes it or a run is forced.
        case quarantined
        /// Has errors: not sent, the remote keeps what it has.
        case invalid
        /// Recorded, gone from git: left untouched (prune is off, over its limit, or already marked).
        case orphan
        /// Gone from git and pruned: deleted remotely, or marked where the API cannot delete.
        case prune
        /// Gone from git and never had a remote resource: the record is dropped.
        case forget
        /// The daemon found the remote changed or deleted outside git and sends git's body again.
        case heal
    }

    public enum PruneMode: String, Sendable, Codable {
        case delete, mark
    }

    public let bundle: BundleID
    public let kind: Kind
    public let name: String?
    public let remoteID: String?
    /// The bundle whose record this one takes over (its folder moved; the spec name is the same).
    public let renamedFrom: BundleID?
    public let desiredHash: String?
    public let recordedHash: String?
    /// The remote revision specsync recorded, and the one the remote has now, where they were compared.
    public let recordedRevision: String?
    public let remoteRevision: String?
    /// Why, in words, for every decision that needs one.
    public let reason: String?
    /// Resources with the bundle's name that this client did not create: never adopted or written.
    public let foreign: [RemoteOwner]
    /// For `deferred`: the earliest moment it is tried again.
    public let retryAt: Date?
    /// For `prune`.
    public let pruneMode: PruneMode?
    /// The git-vs-state comparison this decision came from (diffs, diagnostics, bodies).
    public let change: PlannedChange?

    public init(
        _ kind: Kind, bundle: BundleID, name: String? = nil, remoteID: String? = nil, renamedFrom: BundleID? = nil,
        desiredHash: String? = nil, recordedHash: String? = nil, recordedRevision: String? = nil, remoteRevision: String? = nil,
        reason: String? = nil, foreign: [RemoteOwner] = [], retryAt: Date? = nil, pruneMode: PruneMode? = nil, change: PlannedChange? = nil
    ) {
        self.kind = kind
        self.bundle = bundle
        self.name = name
        self.remoteID = remoteID
        self.renamedFrom = renamedFrom
        self.desiredHash = desiredHash
        self.recordedHash = recordedHash
        self.recordedRevision = recordedRevision
        self.remoteRevision = remoteRevision
        self.reason = reason
        self.foreign = foreign
        self.retryAt = retryAt
        self.pruneMode = pruneMode
        self.change = change
    }

    /// The same decision with another kind and reason, keeping everything else.
    func with(
        _ kind: Kind, reason: String? = nil, remoteID: String? = nil, remoteRevision: String? = nil, foreign: [RemoteOwner]? = nil
    ) -> Decision {
        Decision(kind, bundle: bundle, name: name, remoteID: remoteID ?? self.remoteID, renamedFrom: renamedFrom,
                 desiredHash: desiredHash, recordedHash: recordedHash, recordedRevision: recordedRevision,
                 remoteRevision: remoteRevision ?? self.remoteRevision, reason: reason ?? self.reason,
                 foreign: foreign ?? self.foreign, retryAt: retryAt, pruneMode: pruneMode, change: change)
    }

    /// True when applying it sends a body.
    public var writes: Bool { [.create, .adopt, .update, .heal].contains(kind) }
}

/// Who a remote resource belongs to, as far as the API says: for a resource with a bundle's name
/// that this client did not create.
public struct RemoteOwner: Sendable, Equatable {
    public let id: String
    public let createdClient: String?
    public let imsOrgId: String?

    public init(id: String, createdClient: String?, imsOrgId: String?) {
        self.id = id
        self.createdClient = createdClient
        self.imsOrgId = imsOrgId
    }

    public var description: String {
        var parts = ["\(id)"]
        if let createdClient { parts.append("created by client \(createdClient)") }
        if let imsOrgId { parts.append("org \(imsOrgId)") }
        return parts.joined(separator: ", ")
    }
}
