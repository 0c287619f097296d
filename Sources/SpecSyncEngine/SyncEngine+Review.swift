import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource

extension SyncEngine {
    /// The plan `specsync plan` shows: the one `run` decides from, with the field differences of each
    /// update against the body its record was last synced from (read at the last synced commit), and
    /// the changed bundles `--bundle` leaves out.
    public func reviewPlan(commit: ObjectID, desired: DesiredState, state: SyncState?, listUnchanged: Bool) async throws -> (plan: Plan, leftOut: [BundleID]) {
        let planner = Planner()
        var previous: [BundleID: JSONValue] = [:]
        if case .treeDiff(let base) = desired.detection {
            // Which records the changed bundles take over is the planner's to say: a quick plan
            // without field differences names them, then only their old bodies are read.
            let moves = planner.plan(commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged, renames: desired.renames,
                                     state: state, fieldDifferences: false, listUnchanged: false)
            let updated = moves.changes.filter { $0.action == .update }.map { $0.renamedFrom ?? $0.bundle }
            if !updated.isEmpty {
                let resolver = DesiredStateResolver(repository: repository, layout: layout, customization: options.customization)
                previous = try await resolver.previousBodies(of: updated, at: base)
            }
        }
        return try select(planner.plan(commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged, renames: desired.renames,
                                       previousBodies: previous, state: state, listUnchanged: listUnchanged),
                          desired: desired, state: state)
    }
}
