import CLibgit2

/// Lists the paths that differ between two trees, descending only into subtrees whose ids differ.
///
/// libgit2 1.5.1's `git_diff_tree_to_tree` flattens both trees with iterators and compares every file, so it
/// reads every subtree even when its id is the same on both sides. Handing it the paths found here as a
/// literal pathlist makes it read only the trees on the way to a change, so a diff costs what changed rather
/// than the size of the repository.
struct TreeChangeScanner {
    let repository: OpaquePointer
    let pathspec: DiffPathspec
    let operation: String

    private struct Entry {
        let id: ObjectID
        let mode: UInt32
        var isTree: Bool { mode == GIT_FILEMODE_TREE.rawValue }
    }

    /// The pathlist for libgit2: every differing path within the pathspec (directories that exist on one side
    /// only, or changed kind, stand for everything below them). Empty when nothing differs.
    func changedPaths(old: OpaquePointer, new: OpaquePointer) throws(GitError) -> [String] {
        var result: [String] = []
        try scan(old: old, new: new, prefix: "", into: &result)
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    private func scan(old: OpaquePointer, new: OpaquePointer, prefix: String, into result: inout [String])
        throws(GitError)
    {
        let before = entries(of: old)
        let after = entries(of: new)
        for name in Set(before.keys).union(after.keys).sorted() {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let a = before[name]
            let b = after[name]
            if let a, let b, a.id == b.id, a.mode == b.mode { continue }  // identical: never opened
            if let a, let b, a.isTree, b.isTree {
                guard pathspec.mayContainMatches(directory: path) else { continue }
                try withTree(a.id) { (oldTree) throws(GitError) in
                    try withTree(b.id) { (newTree) throws(GitError) in
                        try scan(old: oldTree, new: newTree, prefix: path, into: &result)
                    }
                }
                continue
            }
            let isDirectory = a?.isTree == true || b?.isTree == true
            result.append(contentsOf: pathspec.pathlist(forChanged: path, isDirectory: isDirectory))
        }
    }

    private func entries(of tree: OpaquePointer) -> [String: Entry] {
        let count = git_tree_entrycount(tree)
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry),
                let id = ObjectID(git_tree_entry_id(entry))
            else { continue }
            entries[String(cString: name)] = Entry(id: id, mode: git_tree_entry_filemode(entry).rawValue)
        }
        return entries
    }

    private func withTree(_ id: ObjectID, _ body: (OpaquePointer) throws(GitError) -> Void) throws(GitError) {
        var oid = id.gitOID
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, repository, &oid), operation)
        guard let tree else {
            throw GitError(
                operation: operation, code: GIT_ERROR.rawValue, errorClass: 0,
                message: "libgit2 returned success without a tree")
        }
        defer { git_tree_free(tree) }
        try body(tree)
    }
}
