import CLibgit2

extension GitRepository {
    /// Fetches from `remote` (`git fetch REMOTE [REFSPECS]`); with no refspecs, the remote's configured ones,
    /// which update `refs/remotes/<remote>/*`. Runs on this repository's thread: other calls on it wait.
    /// `prune` removes remote-tracking refs whose branch is gone on the remote.
    public func fetch(
        remote: String = "origin", refspecs: [String] = [], credentials: GitCredentials?, prune: Bool = false
    ) throws {
        let operation = "fetch from remote '\(remote)'"
        let provider = credentials.map(CredentialProvider.init)
        do throws(GitError) {
            var handle: OpaquePointer?
            try GitError.check(git_remote_lookup(&handle, repository, remote), operation)
            guard let handle else { throw missing(operation) }
            defer { git_remote_free(handle) }

            var options = git_fetch_options()
            try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), operation)
            options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
            if let provider {
                options.callbacks.credentials = CredentialProvider.callback
                options.callbacks.payload = Unmanaged.passUnretained(provider).toOpaque()
            }
            let specs = CStringArray(refspecs)
            var strarray = specs.strarray
            let result =
                refspecs.isEmpty
                ? git_remote_fetch(handle, nil, &options, nil)
                : git_remote_fetch(handle, &strarray, &options, nil)
            withExtendedLifetime((specs, provider)) {}  // the C side points into both until here
            try GitError.check(result, operation)
        } catch {
            throw provider?.finish(error) ?? error.redacting([])
        }
    }

    /// Clones `url` as a bare repository at `path` (which must not exist or be empty) and opens it.
    /// The remote is `origin` with the default refspec, so later fetches update `refs/remotes/origin/*`; the
    /// remote's default branch also becomes a local branch. Async because a clone can take long: the work runs
    /// on the new repository's own thread without holding a Swift concurrency thread.
    public static func cloneBare(url: String, to path: String, credentials: GitCredentials?) async throws
        -> GitRepository
    {
        GitLibrary.ensureInitialized()
        let executor = GitThreadExecutor(name: "specsync-git")
        do {
            let pointer = try await executor.run { () throws(GitError) -> UncheckedSendable<OpaquePointer> in
                UncheckedSendable(try clone(url: url, to: path, credentials: credentials))
            }
            return GitRepository(path: path, executor: executor, pointer: pointer.value)
        } catch {
            executor.shutdown {}
            throw error
        }
    }

    private static func clone(url: String, to path: String, credentials: GitCredentials?) throws(GitError)
        -> OpaquePointer
    {
        let operation = "clone \(GitURL.strippingUserInfo(url)) into '\(path)'"
        let provider = credentials.map(CredentialProvider.init)
        do throws(GitError) {
            var options = git_clone_options()
            try GitError.check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), operation)
            options.bare = 1
            if let provider {
                options.fetch_opts.callbacks.credentials = CredentialProvider.callback
                options.fetch_opts.callbacks.payload = Unmanaged.passUnretained(provider).toOpaque()
            }
            var pointer: OpaquePointer?
            let result = git_clone(&pointer, url, path, &options)
            withExtendedLifetime(provider) {}  // the callback's payload points to it until here
            try GitError.check(result, operation)
            guard let pointer else {
                throw GitError(
                    operation: operation, code: GIT_ERROR.rawValue, errorClass: 0,
                    message: "libgit2 returned success without a repository")
            }
            return pointer
        } catch {
            throw provider?.finish(error) ?? error.redacting([])
        }
    }
}
