#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncTargets

/// The one decider: turns what git wants (a `Plan` of git against the state), the state and what
/// the remote says into typed `Decision`s. Pure: the same inputs always give the same decisions, so
/// `plan` shows exactly what `sync` does.
///
/// Decisions are made in two steps. `decide` works from git and the state alone; the creates and
/// the checked updates it returns name a `lookup`, and `resolve` makes them final once the remote is
/// read. A sync reads each remote just before its write (or from one listing for many), a plan reads
/// them all up front; both resolve through the same function.
public struct Reconciler: Sendable {
    public struct Policy: Sendable {
        /// Replace resources changed outside git without reading them first (`--force`, `onConflict: overwrite`).
        public var overwriteConflicts = false
        /// Send quarantined bundles (`--force`).
        public var includeQuarantined = false
        /// When set, a bundle that failed waits this backoff before the same body is sent again.
        public var failureBackoff: FailureBackoff?
        public var prune = false
        public var pruneLimit = 5
        /// Whether the API can delete a resource; where it cannot, prune marks the record.
        public var canDelete = false
        /// This client and org, as the API reports writers (Flow Service `createdClient`,
        /// `updatedClient`, `imsOrgId`): a resource of another is never adopted or written
        /// (`SpecOwnership`). Nil where the API does not say; the engine takes it from its target.
        public var owner: SpecOwner?
        /// Where the API does not say who last wrote a resource (no `owner`): whether a resource
        /// found by name that differs from git, with no record, is replaced (`unrecordedDifference: update`)
        /// or refused.
        public var updateUnattributed = false

        public init() {}
    }

    public let policy: Policy
    public let resource: ResourceKind

    public init(policy: Policy, resource: ResourceKind) {
        self.policy = policy
        self.resource = resource
    }

    // MARK: - Step one: git and the state

    /// A decision for every change of `plan`. `gitIsEmpty` (no bundle at all in git) refuses prune:
    /// an empty checkout must not empty the target.
    public func decide(_ plan: Plan, state: SyncState?, gitIsEmpty: Bool, now: Date) -> [Decision] {
        var pruned = 0
        return plan.changes.map { change in
            let record = state?[change.renamedFrom ?? change.bundle]
            switch change.action {
            case .unchanged:
                return decision(.unchanged, change)
            case .invalid:
                let errors = change.diagnostics.filter { $0.severity == .error }
                return decision(.invalid, change, reason: "invalid: " + errors.map(\.description).joined(separator: "; "))
            case .orphan:
                return orphan(change, record: record, gitIsEmpty: gitIsEmpty, pruned: &pruned)
            case .create, .update:
                if let record, record.quarantined == true, record.failedBodyHash == change.desiredHash, !policy.includeQuarantined {
                    return decision(.quarantined, change, reason: record.lastError ?? "diverged again after every heal; change it in git or run with --force")
                }
                if let backoff = policy.failureBackoff, let record, record.failedBodyHash == change.desiredHash,
                   let next = backoff.nextAttempt(for: record), next > now {
                    return Decision(.deferred, bundle: change.bundle, name: change.name, remoteID: change.remoteID,
                                    renamedFrom: change.renamedFrom, desiredHash: change.desiredHash, recordedHash: change.recordedHash,
                                    reason: "failing (\(record.lastError ?? "unknown error")); tried again after its backoff",
                                    retryAt: next, change: change)
                }
                if change.action == .create { return decision(.create, change) }
                let reason = policy.overwriteConflicts && record?.recordedRevision != nil
                    ? "onConflict: overwrite: a change made outside git is replaced without a look" : nil
                return Decision(.update, bundle: change.bundle, name: change.name, remoteID: change.remoteID,
                                renamedFrom: change.renamedFrom, desiredHash: change.desiredHash, recordedHash: change.recordedHash,
                                recordedRevision: record?.recordedRevision, reason: reason, change: change)
            }
        }
    }

    /// What must be read from the remote before `decision` is final; nil when it already is.
    public func lookup(for decision: Decision) -> RemoteLookup? {
        switch decision.kind {
        case .create: decision.name.map(RemoteLookup.name)
        case .update where !policy.overwriteConflicts && decision.recordedRevision != nil: decision.remoteID.map(RemoteLookup.id)
        default: nil
        }
    }

    // MARK: - Step two: what the remote says

    /// The final decision once `fact` is known. `body` is the body git wants; `record` the bundle's
    /// record, whose sent bodies tell specsync's own late writes from changes made outside git.
    public func resolve(_ decision: Decision, record: BundleRecord?, fact: RemoteFact, body: ReplacementBody) -> Decision {
        switch (decision.kind, fact) {
        case (.create, .named(let found)):
            let (own, foreign) = partition(found)
            let owners = foreign.map(owner)
            switch own.count {
            case 0:
                let reason = foreign.isEmpty ? nil
                    : "specs specsync did not create have this name: \(owners.map(\.description).joined(separator: "; ")); a spec of the bundle's own is created beside \(foreign.count == 1 ? "it" : "them"), and \(foreign.count == 1 ? "it is" : "they are") never written"
                return decision.with(.create, reason: reason, foreign: owners)
            case 1:
                let remote = own[0]
                if RemoteContent.matches(remote, body: body, resource: resource) {
                    return decision.with(.record, reason: "the remote \(resource.noun) \(remote.id) already holds git's body: recorded, nothing sent",
                                         remoteID: remote.id, remoteRevision: remote.revision, foreign: owners)
                }
                return adoption(decision, of: remote, owners: owners)
            default:
                let ids = own.map(\.id)
                return decision.with(.ambiguous, reason: "\(ids.count) remote \(resource.noun)s are named '\(decision.name ?? "")' (\(ids.joined(separator: ", "))), all of this client; specsync cannot tell which one this bundle is: delete the extra ones", foreign: owners)
            }
        case (.update, .current(let remote)):
            guard let remote else {
                return decision.with(.missing, reason: Self.deletedOutsideGit(resource, id: decision.remoteID ?? "-"))
            }
            guard let remoteRevision = remote.revision, remoteRevision != decision.recordedRevision else {
                return decision.with(.update, remoteRevision: remote.revision)
            }
            let content = RemoteContent.hash(of: remote, shapedLike: body, resource: resource)
            if content == body.hash {
                return decision.with(.record, reason: "the remote already holds git's body (a write whose record was lost): recorded, nothing sent",
                                     remoteRevision: remoteRevision)
            }
            if let content, record?.sentBodyHashes.contains(content) == true {
                return decision.with(.update, reason: "the remote holds a body specsync sent earlier, written after its record (a run that died with the write in flight): not a change outside git",
                                     remoteRevision: remoteRevision)
            }
            return decision.with(.conflict, reason: "conflict: the remote \(resource.noun) \(decision.remoteID ?? "-") was changed outside git (\(Self.describe(revision: remoteRevision)), specsync last wrote it at \(Self.describe(revision: decision.recordedRevision ?? "-"))); not overwritten: re-run with --force or set onConflict: overwrite to replace it with git's version",
                                 remoteRevision: remoteRevision)
        default:
            return decision
        }
    }

    /// A resource of this client with the name, no record, and a body other than git's (a fresh CI
    /// runner, a lost state): replaced when this client wrote it last, refused when someone else did
    /// (a change made outside git, as for a recorded spec), and by policy where the API cannot say.
    func adoption(_ decision: Decision, of remote: RemoteSpec, owners: [RemoteOwner]) -> Decision {
        let writer = remote.updatedClient
        if let ownClient = policy.owner?.clientID {
            if writer == nil || writer == ownClient || policy.overwriteConflicts {
                let overwritten = writer != nil && writer != ownClient ? " (last written by client \(writer ?? "-"): overwritten by policy)" : ""
                return decision.with(.adopt, reason: "exists remotely as \(remote.id), written last by this client: adopted and updated\(overwritten)",
                                     remoteID: remote.id, remoteRevision: remote.revision, foreign: owners)
            }
            return decision.with(.conflict, reason: "conflict: the remote \(resource.noun) \(remote.id) has this name but no record links it, and it was last written by client \(writer ?? "-"), not by this client (\(ownClient)); not overwritten: re-run with --force or set onConflict: overwrite to replace it with git's version",
                                 remoteID: remote.id, remoteRevision: remote.revision, foreign: owners)
        }
        if policy.updateUnattributed || policy.overwriteConflicts {
            return decision.with(.adopt, reason: "exists remotely as \(remote.id) and differs from git; the API does not say who wrote it last: replaced (unrecordedDifference: update)",
                                 remoteID: remote.id, remoteRevision: remote.revision, foreign: owners)
        }
        return decision.with(.conflict, reason: "conflict: the remote \(resource.noun) \(remote.id) has this name but no record links it, and it differs from git; the API does not say who wrote it last, so the difference cannot be attributed: not overwritten (set unrecordedDifference: update, or run with --force, to replace it)",
                             remoteID: remote.id, remoteRevision: remote.revision, foreign: owners)
    }

    /// Resources this client may adopt, and those it must leave alone (created by another client,
    /// or of another org: Adobe's catalogue lists hundreds of those in every org).
    func partition(_ found: [RemoteSpec]) -> (own: [RemoteSpec], foreign: [RemoteSpec]) {
        let (ours, others) = SpecOwnership.partition(found, owner: policy.owner)
        return (ours, others.map(\.0))
    }

    func owner(_ remote: RemoteSpec) -> RemoteOwner {
        RemoteOwner(id: remote.id, createdClient: remote.createdClient, imsOrgId: remote.orgID)
    }

    // MARK: - Orphans

    func orphan(_ change: PlannedChange, record: BundleRecord?, gitIsEmpty: Bool, pruned: inout Int) -> Decision {
        guard let record, record.id != nil else {
            return decision(.forget, change, reason: "removed from git before it was ever created remotely: the record is dropped")
        }
        if let marked = record.orphanedAt {
            return decision(.orphan, change, reason: "removed from git; marked as an orphan on \(marked.formatted(.iso8601)), no longer managed")
        }
        guard policy.prune else { return decision(.orphan, change, reason: "removed from git; left untouched remotely (prune is off)") }
        guard !gitIsEmpty else {
            return decision(.orphan, change, reason: "git holds no bundle at all: prune refused (check the repository, ref and bundles.root)")
        }
        guard pruned < policy.pruneLimit else {
            return decision(.orphan, change, reason: "prune limit of \(policy.pruneLimit) a pass reached: pruned on a later pass")
        }
        pruned += 1
        let mode: Decision.PruneMode = policy.canDelete ? .delete : .mark
        let reason = mode == .delete ? "removed from git: deleted remotely"
            : "removed from git; the API cannot delete a \(resource.noun): marked as an orphan, left in place and no longer managed"
        return Decision(.prune, bundle: change.bundle, name: change.name, remoteID: change.remoteID, recordedHash: change.recordedHash,
                        reason: reason, pruneMode: mode, change: change)
    }

    func decision(_ kind: Decision.Kind, _ change: PlannedChange, reason: String? = nil) -> Decision {
        Decision(kind, bundle: change.bundle, name: change.name, remoteID: change.remoteID, renamedFrom: change.renamedFrom,
                 desiredHash: change.desiredHash, recordedHash: change.recordedHash, reason: reason, change: change)
    }

    // MARK: - Drift

    /// What the daemon does about drift under `heal`: send git's body again, or quarantine a
    /// resource that diverged again after `maxHeals` heals in a row.
    public func heal(_ drift: DriftReport.Change, record: BundleRecord, maxHeals: Int) -> Decision {
        let heals = (record.consecutiveHeals ?? 0) + 1
        let base = Decision(.heal, bundle: drift.bundle, name: record.name, remoteID: drift.id, recordedHash: record.bodyHash,
                            recordedRevision: drift.recordedRevision, remoteRevision: drift.remoteRevision,
                            reason: drift.remoteRevision == nil ? "deleted outside git: created again" : "changed outside git: git's body is sent again")
        guard heals > maxHeals else { return base }
        return base.with(.quarantined, reason: "quarantined: changed outside git again after \(heals - 1) heals; fix the other writer, then change the bundle in git or run sync --once --force")
    }

    // MARK: - Words

    static func deletedOutsideGit(_ resource: ResourceKind, id: String) -> String {
        "the remote \(resource.noun) \(id) was deleted outside git; specsync does not re-create it on its own: run `specsync state rm BUNDLE` (or remove its record) to have the next pass create it again"
    }

    /// "updatedAt 2026-…Z (1633389108018)" for epoch milliseconds, "updatedAt …" for a date-time,
    /// "content sha256:1a2b3c4d…" for a hash.
    static func describe(revision: String) -> String {
        if let milliseconds = Int64(revision) {
            return "updatedAt " + Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601) + " (\(milliseconds))"
        }
        if revision.hasPrefix("sha256:") { return "content " + revision.prefix(19) + "…" }
        return "updatedAt " + revision
    }
}
