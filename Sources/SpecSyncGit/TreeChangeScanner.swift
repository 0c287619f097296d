import CLibgit2

/// Finds what differs between two trees, descending only into subtrees whose ids differ.
///
/// libgit2 1.5.1's `git_diff_tree_to_tree` flattens both trees with iterators and compares every file, so it
/// reads every subtree even when its id is the same on both sides. Files changed in place are answered
/// here directly; for anything else (additions, deletions that may be renames, changes of kind) the paths
/// found here go to libgit2 as a literal pathlist, which makes it read only the trees on the way to a change.
/// Either way a diff costs what changed, plus one read of each changed folder's own entries.
struct TreeChangeScanner {
    let trees: LargeTrees
    let pathspec: DiffPathspec
    let operation: String

    /// What differs between two trees within the pathspec.
    struct Changes {
        /// The pathlist for libgit2: every differing path within the pathspec (directories that exist on
        /// one side only, or changed kind, stand for everything below them). Empty when nothing differs.
        var paths: [String] = []
        /// Files changed in place (same path, blob on both sides, same kind of file): the deltas
        /// libgit2 would report for them.
        var modifications: [DiffDelta] = []
        /// Anything else: additions, deletions (candidates for renames), changes of kind, submodules.
        /// When false, `modifications` is the whole diff and libgit2 need not walk the trees again.
        var needsFullDiff = false
    }

    func changes(old: OpaquePointer, new: OpaquePointer) throws(GitError) -> Changes {
        var result = Changes()
        try scan(old: old, new: new, prefix: "", into: &result)
        var seen = Set<String>()
        result.paths = result.paths.filter { seen.insert($0).inserted }
        return result
    }

    /// Walks both trees' entries side by side in git's own order, comparing ids in C: a tree of
    /// 10,000 entries with one change costs one pass over two arrays, and a Swift string is made
    /// only for an entry that differs.
    private func scan(old: OpaquePointer, new: OpaquePointer, prefix: String, into result: inout Changes)
        throws(GitError)
    {
        let oldCount = git_tree_entrycount(old)
        let newCount = git_tree_entrycount(new)
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldCount || newIndex < newCount {
            let a = oldIndex < oldCount ? git_tree_entry_byindex(old, oldIndex) : nil
            let b = newIndex < newCount ? git_tree_entry_byindex(new, newIndex) : nil
            let order: Int32 = if let a, let b { git_tree_entry_cmp(a, b) } else { a == nil ? 1 : -1 }
            if order <= 0 { oldIndex += 1 }
            if order >= 0 { newIndex += 1 }
            let before = order <= 0 ? a : nil
            let after = order >= 0 ? b : nil
            if let before, let after, git_tree_entry_filemode(before) == git_tree_entry_filemode(after),
               git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after)) == 1 {
                continue  // identical: never opened
            }
            guard let entry = before ?? after, let cName = git_tree_entry_name(entry) else { continue }
            let name = String(cString: cName)
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if let before, let after, Self.isTree(before), Self.isTree(after) {
                guard pathspec.mayContainMatches(directory: path) else { continue }
                try withTree(git_tree_entry_id(before).pointee) { (oldTree) throws(GitError) in
                    try withTree(git_tree_entry_id(after).pointee) { (newTree) throws(GitError) in
                        try scan(old: oldTree, new: newTree, prefix: path, into: &result)
                    }
                }
                continue
            }
            // One side only (added, deleted), or a changed file, mode or kind: everything below counts.
            let isDirectory = before.map(Self.isTree) == true || after.map(Self.isTree) == true
            let listed = pathspec.pathlist(forChanged: path, isDirectory: isDirectory)
            result.paths.append(contentsOf: listed)
            guard !listed.isEmpty else { continue }
            if let before, let after, listed == [path], let kind = Self.fileKind(before), kind == Self.fileKind(after),
               let oldID = ObjectID(git_tree_entry_id(before)), let newID = ObjectID(git_tree_entry_id(after)) {
                result.modifications.append(DiffDelta(status: .modified, oldPath: path, newPath: path, oldID: oldID, newID: newID))
            } else {
                result.needsFullDiff = true
            }
        }
    }

    private static func isTree(_ entry: OpaquePointer) -> Bool {
        git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
    }

    /// Regular files (either mode) and links are files of two kinds; trees and submodules are none.
    private static func fileKind(_ entry: OpaquePointer) -> Int? {
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: 0
        case GIT_FILEMODE_LINK: 1
        default: nil
        }
    }

    private func withTree(_ id: git_oid, _ body: (OpaquePointer) throws(GitError) -> Void) throws(GitError) {
        try trees.withTree(id, operation: operation, body)
    }
}
