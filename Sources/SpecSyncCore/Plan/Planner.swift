import SpecSyncJSON
/// Compares desired bodies with the state. Pure: the same inputs always give the same plan.
public struct Planner: Sendable {
    public init() {}

    /// - Parameters:
    ///   - evaluated: bundles whose bodies were computed for this plan (the candidates).
    ///   - unchanged: bundles present in git whose files did not change since `state.lastSyncedCommit`
    ///     and whose records are not pending; they are not re-read. Each has a record (the resolver
    ///     evaluates every bundle that has none), which the orphan count relies on.
    ///   - renames: new bundle → old bundle, for bundle folders git saw renamed; only an invalid
    ///     bundle, which has no name to go by, follows them (see `identityMoves`).
    ///   - previousBodies: the bodies at the state's last synced commit, for field-level diffs.
    ///   - fieldDifferences: whether to list the fields of each create and update (a plan shown to
    ///     someone); a sync only needs the actions.
    ///   - listUnchanged: whether `unchanged` bundles get a change each (a plan as JSON lists them);
    ///     otherwise they are only counted and their records never read.
    public func plan(
        commit: String?,
        evaluated: [EvaluatedBundle],
        unchanged: SortedBundleSet = [],
        renames: [BundleID: BundleID] = [:],
        previousBodies: [BundleID: JSONValue] = [:],
        state: SyncState?,
        fieldDifferences: Bool = true,
        listUnchanged: Bool = true
    ) -> Plan {
        var changes: [PlannedChange] = []
        // Keyed by bytes, as git names folders (see `BundleID`). The records the evaluated bundles
        // take; the unchanged bundles take theirs.
        var claimedRecords: Set<BundleID> = []
        let unrecorded = evaluated.filter { state?[$0.id] == nil }
        let movedRecords = identityMoves(unrecorded, renames: renames, claimed: evaluated.map(\.id), unchanged: unchanged, state: state)
        for bundle in evaluated {
            let renamedFrom = movedRecords[bundle.id]
            let recordKey = renamedFrom ?? bundle.id
            let record = state?[recordKey]
            if record != nil, !unchanged.contains(recordKey) { claimedRecords.insert(recordKey) }

            guard bundle.isSendable, let body = bundle.body else {
                changes.append(PlannedChange(
                    bundle: bundle.id, action: .invalid, name: bundle.body?.name ?? record?.name,
                    remoteID: record?.id, renamedFrom: renamedFrom, recordedHash: record?.bodyHash,
                    diagnostics: bundle.diagnostics))
                continue
            }
            let action: PlannedChange.Action
            if record?.id == nil {
                action = .create
            } else if record?.bodyHash == body.hash && record?.lastError == nil && renamedFrom == nil {
                action = .unchanged
            } else {
                action = .update
            }
            let differences: [JSONDifference]? = switch action {
            case .update where fieldDifferences: previousBodies[renamedFrom ?? bundle.id].map { JSONDifference.between($0, body.value) }
            default: nil
            }
            changes.append(PlannedChange(
                bundle: bundle.id, action: action, name: body.name, remoteID: record?.id,
                renamedFrom: renamedFrom, desiredHash: body.hash, recordedHash: record?.bodyHash,
                differences: differences, createdBody: action == .create && fieldDifferences ? body : nil,
                diagnostics: bundle.diagnostics, sensitivePointers: body.sensitivePointers))
        }
        for bundle in unchanged where listUnchanged {
            let record = state?[bundle]
            changes.append(PlannedChange(
                bundle: bundle, action: .unchanged, name: record?.name, remoteID: record?.id,
                desiredHash: record?.bodyHash, recordedHash: record?.bodyHash))
        }
        // Keys first: only the orphans' records are read. When the unchanged and evaluated bundles
        // claim as many records as there are, none is an orphan and no key is listed (a pass
        // with nothing to do at 100,000 bundles listed and hashed them all): an unchanged bundle
        // has a record, since the resolver evaluates every bundle that has none.
        let orphansPossible = (state?.bundles.count ?? 0) != unchanged.count + claimedRecords.count
        for key in orphansPossible ? state?.bundles.keys ?? [] : []
        where !claimedRecords.contains(BundleID(key)) && !unchanged.contains(BundleID(key)) {
            guard let record = state?.bundles[key] else { continue }
            changes.append(PlannedChange(
                bundle: BundleID(key), action: .orphan, name: record.name, remoteID: record.id,
                recordedHash: record.bodyHash))
        }
        return Plan(commit: commit, baseCommit: state?.lastSyncedCommit, changes: changes,
                    unlistedUnchanged: listUnchanged ? 0 : unchanged.count)
    }

    /// Which record a bundle that has none takes over, because its folder moved. A remote resource
    /// is found by its name, so the name decides, never git's similarity guess (bundles made from
    /// one template look alike): a new folder takes the record of a folder that left git only when
    /// its spec has that record's name, and only when exactly one such record is left. A new name
    /// is a create, and the folder that disappeared is an orphan.
    ///
    /// An invalid bundle has no name to compare; it keeps the record git saw it renamed from, so
    /// that a rename with a typo never makes the old spec an orphan (and a candidate for prune).
    func identityMoves(
        _ unrecorded: [EvaluatedBundle], renames: [BundleID: BundleID], claimed: [BundleID], unchanged: SortedBundleSet, state: SyncState?
    ) -> [BundleID: BundleID] {
        guard let state, !unrecorded.isEmpty else { return [:] }
        let claimed = Set(claimed)
        let present = { (bundle: BundleID) in claimed.contains(bundle) || unchanged.contains(bundle) }
        // The records whose folders are gone from git, by name: usually none, so no record is read.
        var departedByName: [String: [BundleID]] = [:]
        var departed: Set<BundleID> = []
        for key in state.bundles.keys where !present(BundleID(key)) {
            departed.insert(BundleID(key))
            if let name = state.bundles[key]?.name { departedByName[name, default: []].append(BundleID(key)) }
        }
        guard !departed.isEmpty else { return [:] }
        var moves: [BundleID: BundleID] = [:]
        var taken: Set<BundleID> = []
        for bundle in unrecorded {
            if let name = bundle.body?.name {
                guard let candidates = departedByName[name], candidates.count == 1, let old = candidates.first,
                      !taken.contains(old) else { continue }
                moves[bundle.id] = old
                taken.insert(old)
            } else if let old = renames[bundle.id], departed.contains(old), !taken.contains(old) {
                moves[bundle.id] = old
                taken.insert(old)
            }
        }
        return moves
    }
}
