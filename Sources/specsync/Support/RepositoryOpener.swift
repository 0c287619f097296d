import SpecSyncCore
import SpecSyncGit
import SpecSyncSource

/// Opens the configured repository and resolves revisions, with errors that say what to do.
enum RepositoryOpener {
    static func open(_ configuration: Configuration) async throws -> GitRepository {
        do {
            return try GitRepository(path: configuration.repository.path)
        } catch let error as GitError {
            throw CommandFailure("cannot open the repository at \(configuration.repository.path): \(error.description); set repository.path (or SPECSYNC_REPOSITORY_PATH) to a git work tree or bare repository")
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
