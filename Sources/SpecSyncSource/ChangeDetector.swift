import SpecSyncCore
import SpecSyncGit

/// Finds the bundles that changed between two commits from a libgit2 tree diff restricted to the
/// root folder. Unchanged subtrees are never read, so the cost follows the change, not the repository.
public struct ChangeDetector: Sendable {
    public let repository: GitRepository
    public let layout: BundleLayout

    public init(repository: GitRepository, layout: BundleLayout) {
        self.repository = repository
        self.layout = layout
    }

    public func changes(from old: ObjectID?, to new: ObjectID) async throws -> BundleChangeSet {
        let deltas = try await repository.diff(from: old, to: new, paths: [layout.root + "/"], detectRenames: true)
        return Self.changeSet(from: deltas, layout: layout)
    }

    static func changeSet(from deltas: [DiffDelta], layout: BundleLayout) -> BundleChangeSet {
        var changes = BundleChangeSet()
        for delta in deltas {
            for path in [delta.oldPath, delta.newPath].compactMap({ $0 }) {
                guard let id = layout.bundle(containing: path) else { continue }
                changes.touched.insert(id)
                if !(changes.paths[id]?.contains(path) ?? false) { changes.paths[id, default: []].append(path) }
            }
            if delta.status == .renamed, let oldPath = delta.oldPath, let newPath = delta.newPath,
               let (oldID, oldKind) = layout.fileKind(of: oldPath), let (newID, newKind) = layout.fileKind(of: newPath),
               oldKind == .spec, newKind == .spec, oldID != newID {
                changes.renames[newID] = oldID
            }
        }
        return changes
    }
}
