import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One open git repository.
///
/// An actor whose executor is a dedicated thread (`GitThreadExecutor`): libgit2 objects are not thread-safe
/// and its last-error slot is per thread, so every libgit2 call for this repository — open, reads, the final
/// free — happens on that one thread. Only Sendable values (ids, entries, bytes, errors) come out.
public actor GitRepository {
    /// The path this repository was opened (or cloned) at, as given.
    public nonisolated let path: String

    nonisolated let executor: GitThreadExecutor
    nonisolated let handle: UncheckedSendable<OpaquePointer>
    /// The large trees read this pass (the bundles root at each commit), until `releaseCaches`.
    nonisolated let keptTrees: UncheckedSendable<LargeTrees>

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Opens exactly `path` — the top of a work tree, or a bare repository's directory. Parent directories are
    /// not searched (`GIT_REPOSITORY_OPEN_NO_SEARCH`), so a typo cannot silently pick up an enclosing repository.
    public init(path: String) throws {
        GitLibrary.ensureInitialized()
        let executor = GitThreadExecutor(name: "specsync-git")
        do {
            let pointer = try executor.runBlocking { () throws(GitError) -> OpaquePointer in
                try Self.open(path)
            }
            self.init(path: path, executor: executor, pointer: pointer)
        } catch {
            executor.shutdown {}
            throw error
        }
    }

    init(path: String, executor: GitThreadExecutor, pointer: OpaquePointer) {
        self.path = path
        self.executor = executor
        self.handle = UncheckedSendable(pointer)
        self.keptTrees = UncheckedSendable(LargeTrees(repository: pointer))
    }

    deinit {
        // Free on the repository's own thread, after any queued work; then that thread ends.
        let handle = self.handle
        let trees = keptTrees
        executor.shutdown {
            trees.value.release()
            git_repository_free(handle.value)
        }
    }

    /// The libgit2 handle; only valid on this actor's thread, which isolation guarantees.
    var repository: OpaquePointer {
        assert(executor.isCurrent, "libgit2 repository used off its thread")
        return handle.value
    }

    /// How many large trees are kept (for tests).
    var largeTreeCount: Int { largeTrees.count }

    /// The kept large trees; like `repository`, only on this actor's thread.
    var largeTrees: LargeTrees {
        assert(executor.isCurrent, "libgit2 trees used off their thread")
        return keptTrees.value
    }

    /// Whether this code runs on the repository's own libgit2 thread (always true inside the actor; for tests).
    var isOnOwnThread: Bool { executor.isCurrent }

    /// True for a repository without a work tree (e.g. made by `git clone --bare`).
    public var isBare: Bool {
        git_repository_is_bare(repository) == 1
    }

    /// The repository's git directory (the `.git` directory, or the bare repository itself), with a trailing '/'.
    public var gitDirectory: String {
        guard let path = git_repository_path(repository) else { return self.path }
        return String(cString: path)
    }

    /// Where the refs and `packed-refs` are, with a trailing '/': the git directory, or for a
    /// worktree (`git worktree add`) the main repository's, named by its `commondir` file.
    public var commonDirectory: String {
        guard let path = git_repository_commondir(repository) else { return gitDirectory }
        return String(cString: path)
    }

    /// Frees what is kept between reads: the large trees, libgit2's object cache, the packs'
    /// mapped windows and delta bases, the refs and configuration. Each is loaded again on the next
    /// read that needs it, so a daemon calls this when a pass ends and holds none of it while idle.
    public func releaseCaches() {
        largeTrees.release()
        _ = git_repository__cleanup(repository)
    }

    /// The work tree's directory with a trailing '/', nil for a bare repository.
    public var workDirectory: String? {
        git_repository_workdir(repository).map { String(cString: $0) }
    }
}

// MARK: - Opening (runs on the executor thread)

extension GitRepository {
    static func open(_ path: String) throws(GitError) -> OpaquePointer {
        var pointer: OpaquePointer?
        let result = git_repository_open_ext(&pointer, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if result < 0 {
            throw explainOpenFailure(GitError.last(code: result, operation: "open repository at '\(path)'"), path: path)
        }
        guard let pointer else {
            throw GitError(
                operation: "open repository at '\(path)'", code: GIT_ERROR.rawValue, errorClass: 0,
                message: "libgit2 returned success without a repository")
        }
        return pointer
    }

    /// Replaces libgit2's owner-check message (which talks about `safe.directory` and sounds like a config
    /// problem) with a plain one, and says why a missing repository is not looked for higher up.
    static func explainOpenFailure(_ error: GitError, path: String) -> GitError {
        let lowered = error.message.lowercased()
        if error.isOwnership || lowered.contains("not owned by current user") || lowered.contains("safe.directory") {
            let me = geteuid()
            let owner = [path, path + "/.git"].lazy.compactMap(Self.owner(of:)).first { $0 != me }
            let who = owner.map { "another user (uid \($0))" } ?? "another user"
            return GitError(
                operation: error.operation, code: GIT_EOWNER.rawValue, errorClass: error.errorClass,
                message: "repository at \(path) is owned by \(who), not by the user running specsync (uid \(me)); "
                    + "run specsync as that user, or if you trust the repository, mark it safe for this user with "
                    + "`git config --global --add safe.directory \(path)` (libgit2: \(error.message))")
        }
        if error.isNotFound {
            return GitError(
                operation: error.operation, code: error.code, errorClass: error.errorClass,
                message: "\(error.message); specsync opens exactly this path and does not search parent "
                    + "directories: give the top of the work tree, or the directory of a bare repository")
        }
        return error
    }

    private static func owner(of path: String) -> uid_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_uid
    }
}

// MARK: - Shared helpers for the feature extensions

extension GitRepository {
    /// Looks up any object by id and peels it to a tree (commit → its tree, tag → …, tree → itself),
    /// runs `body` with the tree, and frees it.
    func withTree<T>(
        of id: ObjectID, operation: @autoclosure () -> String, _ body: (OpaquePointer) throws(GitError) -> T
    ) throws(GitError) -> T {
        var oid = id.gitOID
        var object: OpaquePointer?
        try GitError.check(git_object_lookup(&object, repository, &oid, GIT_OBJECT_ANY), operation())
        guard let object else { throw missing(operation()) }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try GitError.check(git_object_peel(&peeled, object, GIT_OBJECT_TREE), operation())
        guard let peeled else { throw missing(operation()) }
        defer { git_object_free(peeled) }
        return try body(peeled)
    }

    /// The error for a libgit2 call that reported success but gave back NULL (should not happen).
    func missing(_ operation: String) -> GitError {
        GitError(
            operation: operation, code: GIT_ERROR.rawValue, errorClass: 0,
            message: "libgit2 returned success without an object")
    }
}
