import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitRepository {
    /// `git rev-parse REVISION^{commit}`: any revision string (HEAD, a branch, a tag — annotated tags are
    /// peeled —, a full or abbreviated sha, "main~2", "origin/main") to the commit it names.
    public func resolveCommit(_ revision: String) throws -> ObjectID {
        let operation = "resolve revision '\(revision)'"
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, repository, revision), operation)
        guard let object else { throw missing(operation) }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try GitError.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), operation)
        guard let commit else { throw missing(operation) }
        defer { git_object_free(commit) }
        guard let id = ObjectID(git_object_id(commit)) else { throw missing(operation) }
        return id
    }

    /// The commit with id `id`.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        let operation = "read commit \(id.hex)"
        var oid = id.gitOID
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, repository, &oid), operation)
        guard let commit else { throw missing(operation) }
        defer { git_commit_free(commit) }

        guard let tree = ObjectID(git_commit_tree_id(commit)) else { throw missing(operation) }
        let parentCount = git_commit_parentcount(commit)
        var parents: [ObjectID] = []
        parents.reserveCapacity(Int(parentCount))
        for index in 0..<parentCount {
            if let parent = ObjectID(git_commit_parent_id(commit, index)) { parents.append(parent) }
        }
        // git_commit_summary caches its result on the commit and may return NULL (out of memory).
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit)))
        var author = ""
        if let signature = git_commit_author(commit) {
            let name = signature.pointee.name.map { String(cString: $0) } ?? ""
            let email = signature.pointee.email.map { String(cString: $0) } ?? ""
            author = email.isEmpty ? name : "\(name) <\(email)>"
        }
        return CommitInfo(id: id, tree: tree, parents: parents, summary: summary, time: time, author: author)
    }

    /// Whether the object database holds `id`. False for a commit lost to a force-push and pruned, or cut off
    /// by a shallow clone: the caller then falls back to a full comparison instead of a diff.
    public func containsObject(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, repository) == 0, let odb else {
            git_error_clear()
            return false
        }
        defer { git_odb_free(odb) }
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }

    /// The best common ancestor of two commits (`git merge-base A B`), nil when they share no history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var base = git_oid()
        var one = a.gitOID
        var two = b.gitOID
        let result = git_merge_base(&base, repository, &one, &two)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "find the merge base of \(a.hex) and \(b.hex)")
        return ObjectID(base)
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors — e.g. "is the last synced commit still in
    /// the branch's history" (false after a force-push).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var one = descendant.gitOID
        var two = ancestor.gitOID
        let result = git_graph_descendant_of(repository, &one, &two)
        try GitError.check(result, "check whether \(ancestor.hex) is an ancestor of \(descendant.hex)")
        return result == 1
    }
}
