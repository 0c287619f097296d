import CLibgit2

/// Process-wide libgit2 setup. libgit2 needs `git_libgit2_init()` before any other call; doing it
/// from a `static let` makes it happen exactly once, thread-safely, however many repositories open.
public enum GitLibrary {
    private static let initialized: Int32 = {
        let result = git_libgit2_init()
        // Trees stay out of the object cache: a pass reads each bundle folder's trees once, and the
        // cache kept them all, parsed, until the repository closed (80 MB of a first sync of
        // 50,000 under heaptrack; BENCHMARKS.md). Trees over 4 KB, the bundles root of any large
        // repository among them, were never cached.
        _ = specsync_git_set_cache_object_limit(GIT_OBJECT_TREE, 0)
        // Objects are not hashed again on every read: each blob is checked against its id where it
        // is read (`GitRepository.blob`), and a tree only leads to ids. Hashing the two 4 MB
        // bundles roots of a 100,000-bundle repository was about 20 ms of every pass (detecting
        // one change: 130 -> 111 ms); `git diff-tree` does not hash the trees it compares either. A
        // damaged compressed object still fails zlib's own check as it is read.
        _ = specsync_git_set_strict_hash_verification(0)
        return result
    }()

    /// Initialises libgit2 if that has not happened yet. Every entry point of this module calls it.
    public static func ensureInitialized() {
        _ = initialized
    }

    /// The libgit2 version linked at run time, e.g. "1.5.1".
    public static var version: String {
        ensureInitialized()
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        _ = git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Turns libgit2's repository-owner check on or off for the whole process. It is on by default;
    /// turn it off only when the operator has said the repository's owner is trusted.
    public static func setOwnerValidation(_ enabled: Bool) throws {
        ensureInitialized()
        try GitError.check(specsync_git_set_owner_validation(enabled ? 1 : 0), "set owner validation")
    }
}

extension GitLibrary {
    /// Makes https remotes be checked against the CA certificates in `file` (PEM) instead of the system's
    /// bundle, for the whole process (libgit2 with mbedTLS ignores `SSL_CERT_FILE` and `GIT_SSL_CAINFO`).
    public static func setCertificateAuthorities(file: String) throws(GitError) {
        ensureInitialized()
        try GitError.check(
            specsync_git_set_ssl_cert_locations(file, nil), "load the CA certificates in \(file)")
    }
}
