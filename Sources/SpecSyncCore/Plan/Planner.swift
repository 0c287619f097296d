/// Compares desired bodies with the state. Pure: the same inputs always give the same plan.
public struct Planner: Sendable {
    public init() {}

    /// - Parameters:
    ///   - evaluated: bundles whose bodies were computed for this plan (the candidates).
    ///   - unchanged: bundles present in git whose files did not change since `state.lastSyncedCommit`
    ///     and whose records are not pending; they are not re-read.
    ///   - renames: new bundle → old bundle, for bundle folders git saw renamed.
    ///   - previousBodies: the bodies at the state's last synced commit, for field-level diffs.
    ///   - fieldDifferences: whether to list the fields of each create and update (a plan shown to
    ///     someone); a sync only needs the actions.
    ///   - listUnchanged: whether `unchanged` bundles get a change each (a plan as JSON lists them);
    ///     otherwise they are only counted and their records never read.
    public func plan(
        commit: String?,
        evaluated: [EvaluatedBundle],
        unchanged: Set<BundleID> = [],
        renames: [BundleID: BundleID] = [:],
        previousBodies: [BundleID: JSONValue] = [:],
        state: SyncState?,
        fieldDifferences: Bool = true,
        listUnchanged: Bool = true
    ) -> Plan {
        var changes: [PlannedChange] = []
        var claimedRecords: Set<String> = Set(unchanged.map(\.source))
        for bundle in evaluated {
            let renamedFrom = renames[bundle.id].flatMap { old in state?[old] == nil ? nil : old }
            let recordKey = state?[bundle.id] != nil ? bundle.id : (renamedFrom ?? bundle.id)
            let record = state?[recordKey]
            if record != nil { claimedRecords.insert(recordKey.source) }

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
        // Keys first: only the orphans' records are read.
        for key in state?.bundles.keys ?? [] where !claimedRecords.contains(key) {
            guard let record = state?.bundles[key] else { continue }
            changes.append(PlannedChange(
                bundle: BundleID(key), action: .orphan, name: record.name, remoteID: record.id,
                recordedHash: record.bodyHash))
        }
        return Plan(commit: commit, baseCommit: state?.lastSyncedCommit, changes: changes,
                    unlistedUnchanged: listUnchanged ? 0 : unchanged.count)
    }
}
