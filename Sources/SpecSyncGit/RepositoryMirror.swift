import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// specsync's private bare clone of a remote repository: cloned on first use, fetched before the ref is read,
/// kept pointing at the configured URL. The CLI commands and the daemon all open remotes through this.
///
/// A clone is written into a temporary folder beside `path` and renamed into place when complete, so a clone
/// interrupted by a kill is never mistaken for a good one. The folder is private (0700) whatever the umask.
public struct RepositoryMirror: Sendable {
    /// What `open` did that the user should hear about.
    public enum Event: Sendable, Equatable {
        /// No clone yet: cloning into `path`.
        case cloning
        /// The clone pointed at another URL (shown without user-info) and now points at `url`.
        case repointed(from: String)
        /// A clone left incomplete (by an older specsync that was killed mid-clone) was removed.
        case discardedIncomplete
    }

    public var url: String
    public var path: String
    public var credentials: GitCredentials?
    public var network: GitNetworkOptions

    public init(url: String, path: String, credentials: GitCredentials?, network: GitNetworkOptions = GitNetworkOptions()) {
        self.url = url
        self.path = path
        self.credentials = credentials
        self.network = network
    }

    /// The URL as it may be shown: a password in it is replaced by `***`.
    public var displayURL: String { GitURL.strippingUserInfo(url) }

    /// Opens the clone, cloning first when there is none; fetches when `fetch` is true (a fresh clone is
    /// already current).
    public func open(fetch: Bool, events: (Event) -> Void = { _ in }) async throws -> GitRepository {
        try removeStalePartials()
        if FileManager.default.fileExists(atPath: Self.join(path, "HEAD")) {
            let repository = try GitRepository(path: path)
            if await repository.hasReferences(matching: "refs/remotes/origin/*") {
                try makePrivate(path)
                return try await update(repository, fetch: fetch, events: events)
            }
            // A clone stopped before its fetch finished: never trust it, start again.
            events(.discardedIncomplete)
            try FileManager.default.removeItem(atPath: path)
        } else if let entries = try? FileManager.default.contentsOfDirectory(atPath: path), !entries.isEmpty {
            throw GitError(
                operation: "open the clone of \(displayURL) at '\(path)'", code: GIT_EEXISTS.rawValue, errorClass: 0,
                message: "the folder exists and is not a git repository; remove it, or set repository.path to a "
                    + "folder specsync may use for its clone")
        }
        events(.cloning)
        return try await clone()
    }

    /// Fetches into an opened clone. Branches gone on the remote (or only on a remote the clone used to point
    /// at) are pruned: the clone is specsync's own and mirrors the remote.
    public func fetch(into repository: GitRepository) async throws {
        try await repository.fetch(credentials: credentials, prune: true, network: network)
    }

    private func update(_ repository: GitRepository, fetch: Bool, events: (Event) -> Void) async throws -> GitRepository {
        let current = await repository.remoteURL("origin")
        if current != url {
            try await repository.setRemoteURL(url)
            events(.repointed(from: current.map(GitURL.strippingUserInfo) ?? "no origin"))
        }
        if fetch { try await self.fetch(into: repository) }
        return repository
    }

    private func clone() async throws -> GitRepository {
        let parent = Self.parent(of: path)
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let partial = Self.join(parent, "\(partialPrefix)\(getpid())")
        if FileManager.default.fileExists(atPath: partial) { try FileManager.default.removeItem(atPath: partial) }
        guard mkdir(partial, 0o700) == 0 else {
            throw GitError(
                operation: "clone \(displayURL) into '\(path)'", code: GIT_ERROR.rawValue, errorClass: 0,
                message: "cannot create \(partial): \(String(cString: strerror(errno)))")
        }
        do {
            try makePrivate(partial)
            // Dropped before the rename: libgit2 keeps the path it opened.
            do {
                _ = try await GitRepository.cloneBare(url: url, to: partial, credentials: credentials, network: network)
            } catch let error as GitError {
                // The temporary folder is an implementation detail: name the clone's real place.
                throw GitError(
                    operation: "clone \(displayURL) into '\(path)'", code: error.code, errorClass: error.errorClass,
                    message: error.message)
            }
            if rename(partial, path) != 0 {
                let failure = errno
                // Another specsync finished its clone first: use that one.
                guard FileManager.default.fileExists(atPath: Self.join(path, "HEAD")) else {
                    throw GitError(
                        operation: "clone \(displayURL) into '\(path)'", code: GIT_ERROR.rawValue, errorClass: 0,
                        message: "cannot move the finished clone into place: \(String(cString: strerror(failure)))")
                }
                try? FileManager.default.removeItem(atPath: partial)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return try GitRepository(path: path)
    }

    /// `.<name>.partial-` beside `path`; the owning process id follows.
    private var partialPrefix: String { "." + Self.name(of: path) + ".partial-" }

    /// Removes temporary clones whose process is gone (killed mid-clone).
    private func removeStalePartials() throws {
        let parent = Self.parent(of: path)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(partialPrefix) {
            guard let pid = Int32(entry.dropFirst(partialPrefix.count)) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: Self.join(parent, entry))
            }
        }
    }

    private func makePrivate(_ folder: String) throws {
        guard chmod(folder, 0o700) == 0 else {
            throw GitError(
                operation: "make the clone at '\(folder)' private", code: GIT_ERROR.rawValue, errorClass: 0,
                message: "chmod 0700 failed: \(String(cString: strerror(errno)))")
        }
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func name(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }
}
