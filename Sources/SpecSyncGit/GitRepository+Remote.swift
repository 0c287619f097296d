import CLibgit2

extension GitRepository {
    /// Fetches from `remote` (`git fetch REMOTE [REFSPECS]`); with no refspecs, the remote's configured ones,
    /// which update `refs/remotes/<remote>/*`. Runs on this repository's thread: other calls on it wait.
    /// `prune` removes remote-tracking refs whose branch is gone on the remote. `network` bounds how long a
    /// silent server can hold the call.
    public func fetch(
        remote: String = "origin", refspecs: [String] = [], credentials: GitCredentials?, prune: Bool = false,
        network: GitNetworkOptions = GitNetworkOptions()
    ) throws {
        let operation = "fetch from remote '\(remote)'"
        var callbacks: RemoteCallbacks?
        do throws(GitError) {
            var handle: OpaquePointer?
            try GitError.check(git_remote_lookup(&handle, repository, remote), operation)
            guard let handle else { throw missing(operation) }
            defer { git_remote_free(handle) }
            let context = RemoteCallbacks(
                credentials: credentials, network: network,
                url: git_remote_url(handle).map { String(cString: $0) } ?? remote)
            callbacks = context

            if let caFile = network.caFile { try GitLibrary.setCertificateAuthorities(file: caFile) }
            var options = git_fetch_options()
            try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), operation)
            options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
            context.install(on: &options.callbacks)
            let specs = CStringArray(refspecs)
            var strarray = specs.strarray
            let result = try context.watch { () -> Int32 in
                refspecs.isEmpty
                    ? git_remote_fetch(handle, nil, &options, nil)
                    : git_remote_fetch(handle, &strarray, &options, nil)
            }
            withExtendedLifetime((specs, context)) {}  // the C side points into both until here
            try GitError.check(result, operation)
        } catch {
            throw callbacks?.finish(error) ?? error.redacting(credentials?.secrets ?? [])
        }
    }

    /// The URL `remote` fetches from, nil when there is no such remote.
    public func remoteURL(_ remote: String = "origin") -> String? {
        var handle: OpaquePointer?
        guard git_remote_lookup(&handle, repository, remote) == 0, let handle else {
            git_error_clear()
            return nil
        }
        defer { git_remote_free(handle) }
        return git_remote_url(handle).map { String(cString: $0) }
    }

    /// Points `remote` at `url` (`git remote set-url`).
    public func setRemoteURL(_ url: String, remote: String = "origin") throws {
        try GitError.check(
            git_remote_set_url(repository, remote, url),
            "point remote '\(remote)' at \(GitURL.strippingUserInfo(url))")
    }

    /// Clones `url` as a bare repository at `path` (which must not exist or be empty) and opens it.
    /// The remote is `origin` with the default refspec, so later fetches update `refs/remotes/origin/*`; the
    /// remote's default branch also becomes a local branch. Async because a clone can take long: the work runs
    /// on the new repository's own thread without holding a Swift concurrency thread.
    public static func cloneBare(
        url: String, to path: String, credentials: GitCredentials?, network: GitNetworkOptions = GitNetworkOptions()
    ) async throws -> GitRepository {
        GitLibrary.ensureInitialized()
        let executor = GitThreadExecutor(name: "specsync-git")
        do {
            let pointer = try await executor.run { () throws(GitError) -> UncheckedSendable<OpaquePointer> in
                UncheckedSendable(try clone(url: url, to: path, credentials: credentials, network: network))
            }
            return GitRepository(path: path, executor: executor, pointer: pointer.value)
        } catch {
            executor.shutdown {}
            throw error
        }
    }

    private static func clone(url: String, to path: String, credentials: GitCredentials?, network: GitNetworkOptions)
        throws(GitError) -> OpaquePointer
    {
        let operation = "clone \(GitURL.strippingUserInfo(url)) into '\(path)'"
        let context = RemoteCallbacks(credentials: credentials, network: network, url: url)
        do throws(GitError) {
            if let caFile = network.caFile { try GitLibrary.setCertificateAuthorities(file: caFile) }
            var options = git_clone_options()
            try GitError.check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), operation)
            options.bare = 1
            context.install(on: &options.fetch_opts.callbacks)
            var pointer: OpaquePointer?
            let result = try context.watch { () -> Int32 in git_clone(&pointer, url, path, &options) }
            withExtendedLifetime(context) {}  // the callbacks' payload points to it until here
            try GitError.check(result, operation)
            guard let pointer else {
                throw GitError(
                    operation: operation, code: GIT_ERROR.rawValue, errorClass: 0,
                    message: "libgit2 returned success without a repository")
            }
            return pointer
        } catch {
            throw context.finish(error)
        }
    }
}

extension GitRepository {
    /// Whether any reference matches `glob` (e.g. `refs/remotes/origin/*`).
    public func hasReferences(matching glob: String) -> Bool {
        var iterator: OpaquePointer?
        guard git_reference_iterator_glob_new(&iterator, repository, glob) == 0, let iterator else {
            git_error_clear()
            return false
        }
        defer { git_reference_iterator_free(iterator) }
        var name: UnsafePointer<CChar>?
        let found = git_reference_next_name(&name, iterator) == 0
        git_error_clear()
        return found
    }
}
