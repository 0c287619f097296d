#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncTargets

/// Links bundles that have no remote id yet to remote specs that already carry their name, without
/// writing to the target. An adopted record has no body hash: adopting does not claim the remote
/// equals git, so the next sync sends the desired body once.
public struct SpecAdopter: Sendable {
    public enum Result: String, Sendable, Codable {
        /// Exactly one remote spec has the bundle's name: linked.
        case adopted
        /// Several remote specs have the name: skipped, nothing is guessed.
        case ambiguous
        /// No remote spec has the name: the next sync creates it.
        case notFound
        /// The state already records a remote id for the bundle.
        case alreadyLinked
        /// The bundle has errors (or no name): skipped until it is fixed.
        case invalid
        /// The only match is already recorded for another bundle.
        case conflict
    }

    public struct Outcome: Sendable {
        public let bundle: BundleID
        public let name: String?
        public let result: Result
        /// The remote spec linked (or already linked).
        public let remote: RemoteSpec?
        /// Every remote id found with the name (ambiguous), or the id another bundle holds (conflict).
        public let candidates: [String]
        public let reason: String

        /// True when the outcome needs a person: a sync would not settle it.
        public var needsAttention: Bool { [.ambiguous, .invalid, .conflict].contains(result) }
    }

    public let target: any SyncTarget
    /// Whether a spec of this org that another client created may be linked (`--include-foreign`);
    /// one of another org never is.
    public let includeForeign: Bool

    public init(target: any SyncTarget, includeForeign: Bool = false) {
        self.target = target
        self.includeForeign = includeForeign
    }

    /// Decides, bundle by bundle (in bundle order), what adopting would do. Reads the target only.
    public func outcomes(for bundles: [EvaluatedBundle], state: SyncState?) async throws -> [Outcome] {
        var claimed: [String: String] = [:]
        for (key, record) in state?.bundles ?? [:] {
            if let id = record.id { claimed[id] = key }
        }
        var outcomes: [Outcome] = []
        for bundle in bundles.sorted(by: { $0.id < $1.id }) {
            let name = bundle.body?.name
            if let record = state?[bundle.id], let id = record.id {
                outcomes.append(Outcome(bundle: bundle.id, name: name ?? record.name, result: .alreadyLinked, remote: nil,
                                        candidates: [id], reason: "already linked to \(id)"))
                continue
            }
            guard bundle.isSendable, let name else {
                let errors = bundle.diagnostics.filter { $0.severity == .error }.map(\.description)
                let reason = errors.isEmpty ? "the spec has no name" : errors.joined(separator: "; ")
                outcomes.append(Outcome(bundle: bundle.id, name: name, result: .invalid, remote: nil, candidates: [],
                                        reason: "invalid, skipped: \(reason)"))
                continue
            }
            let (found, skipped) = SpecOwnership.linkable(
                try await target.find(name: name, bundle: bundle.id), owner: target.owner, includeForeign: includeForeign)
            switch found.count {
            case 0 where !skipped.isEmpty:
                let hint = skipped.contains { $0.1.isLinkableWhenAsked }
                    ? "; link one of this org with --include-foreign, or by id with `specsync import --id`" : ""
                outcomes.append(Outcome(bundle: bundle.id, name: name, result: .notFound, remote: nil, candidates: skipped.map(\.0.id),
                                        reason: "only specs specsync did not create have this name: \(SpecOwnership.describe(skipped)); not linked, sync will create a spec of its own\(hint)"))
            case 0:
                outcomes.append(Outcome(bundle: bundle.id, name: name, result: .notFound, remote: nil, candidates: [],
                                        reason: "no remote spec, sync will create it"))
            case 1:
                let remote = found[0]
                if let holder = claimed[remote.id], holder != bundle.id.source {
                    outcomes.append(Outcome(bundle: bundle.id, name: name, result: .conflict, remote: remote, candidates: [remote.id],
                                            reason: "the remote spec \(remote.id) is already recorded for bundle \(holder); skipped"))
                    continue
                }
                claimed[remote.id] = bundle.id.source
                outcomes.append(Outcome(bundle: bundle.id, name: name, result: .adopted, remote: remote, candidates: [remote.id],
                                        reason: "linked to \(remote.id); the next sync sends the desired body once"))
            default:
                let ids = found.map(\.id)
                outcomes.append(Outcome(bundle: bundle.id, name: name, result: .ambiguous, remote: nil, candidates: ids,
                                        reason: "\(ids.count) remote specs have this name (\(ids.joined(separator: ", "))); skipped: delete the extra ones or import one with `specsync import --id`"))
            }
        }
        return outcomes
    }
}
