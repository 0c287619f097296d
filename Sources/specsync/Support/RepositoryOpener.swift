import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncGit
import SpecSyncService
import SpecSyncSource

/// Opens the configured repository and resolves revisions, with errors that say what to do. With
/// `repository.url`, every command goes through the same `RepositoryMirror` as the daemon: clone on first
/// use, fetch before the ref is read.
enum RepositoryOpener {
    static func open(
        _ configuration: Configuration, fetch: Bool = true,
        variables: [String: String] = CommandContext.process.environment
    ) async throws -> GitRepository {
        let mirror: RepositoryMirror?
        do {
            mirror = try RepositoryMirror(configuration: configuration, variables: variables)
        } catch {
            throw CommandFailure("cannot set up the remote repository: \(error)")
        }
        guard let mirror else {
            do {
                return try GitRepository(path: configuration.repository.path)
            } catch let error as GitError {
                throw CommandFailure("cannot open the repository at \(configuration.repository.path): \(error.description); set repository.path (or SPECSYNC_REPOSITORY_PATH) to a git work tree or bare repository")
            }
        }
        // A fetch may wait on a slow server: SIGTERM must still end the command at once.
        TerminationSignals.exitOnTermination()
        let logger = Logger(label: "specsync")
        do {
            return try await mirror.open(fetch: fetch) { event in mirror.log(event, logger: logger) }
        } catch let error as GitError {
            throw CommandFailure("cannot update specsync's clone of \(mirror.displayURL) at \(mirror.path): \(error.description)")
        }
    }

    static func resolve(_ revision: String, in repository: GitRepository) async throws -> ObjectID {
        do {
            return try await repository.resolveCommit(revision)
        } catch let error as GitError {
            throw CommandFailure("cannot resolve '\(revision)' in \(repository.path): \(error.description)")
        }
    }

    static func commitSource(configuration: Configuration, revision: String, layout: BundleLayout) async throws -> GitCommitSource {
        let repository = try await open(configuration)
        let commit = try await resolve(revision, in: repository)
        return GitCommitSource(repository: repository, commit: commit, layout: layout)
    }
}
