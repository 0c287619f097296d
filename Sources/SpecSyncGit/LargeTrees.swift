import CLibgit2

/// The trees of many entries a pass reads, kept parsed until the pass ends.
///
/// libgit2 caches no trees here (`GitLibrary`: 100,000 small bundle trees would stay parsed), and it
/// never cached a tree over 4 KB, so each lookup of a bundles root of 100,000 entries inflated and
/// hashed ~3.5 MB again: a `plan` read it six times (listing, diff, the changed bundles' folders,
/// lookups by name), 40% of a detection at 100,000 (BENCHMARKS.md, "Round two: the bundles root
/// read once"). Only trees of `minimumEntries` or more are kept, at most `limit` of them, and none is
/// ever evicted while a pass may hold it: once full, further trees are read and freed as before.
///
/// Used only on the repository's libgit2 thread.
final class LargeTrees {
    static let minimumEntries = 1_000
    static let limit = 4

    private let repository: OpaquePointer
    private var kept: [ObjectID: OpaquePointer] = [:]

    init(repository: OpaquePointer) {
        self.repository = repository
    }

    var count: Int { kept.count }

    /// Runs `body` with the tree `oid`, read once if it is large and room is left.
    func withTree<T>(_ oid: git_oid, operation: @autoclosure () -> String, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        let id = ObjectID(oid)
        if let tree = kept[id] { return try body(tree) }
        var lookup = oid
        var found: OpaquePointer?
        try GitError.check(git_tree_lookup(&found, repository, &lookup), operation())
        guard let tree = found else {
            throw GitError(operation: operation(), code: GIT_ERROR.rawValue, errorClass: 0, message: "libgit2 returned success without a tree")
        }
        if kept.count < Self.limit, git_tree_entrycount(tree) >= Self.minimumEntries {
            kept[id] = tree
            return try body(tree)
        }
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    /// Frees every kept tree: when a pass ends, and before the repository is freed.
    func release() {
        for tree in kept.values { git_tree_free(tree) }
        kept = [:]
    }
}
