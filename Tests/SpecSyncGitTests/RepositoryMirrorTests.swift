import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// `RepositoryMirror` against real repositories made with the git CLI, cloned over file://.
@Suite struct RepositoryMirrorTests {
    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [RepositoryMirror.Event] = []
        func record(_ event: RepositoryMirror.Event) { lock.withLock { events.append(event) } }
        var all: [RepositoryMirror.Event] { lock.withLock { events } }
    }

    @Test("first use clones into a private folder atomically; later opens fetch new commits")
    func clonesThenFetches() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let mirror = RepositoryMirror(url: "file://" + upstream.path, path: state.path + "/repository.git", credentials: nil)

        let events = Events()
        let repository = try await mirror.open(fetch: true, events: events.record)
        #expect(events.all == [.cloning])
        #expect(try await repository.resolveCommit("origin/main") == upstream.revParse("HEAD"))
        let attributes = try FileManager.default.attributesOfItem(atPath: mirror.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o700, "the clone is private whatever the umask")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.path) == ["repository.git"], "no temporary folder left")

        try upstream.write("Alpha v2\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        let second = try upstream.revParse(try upstream.commitAll("second"))
        let again = Events()
        let reopened = try await mirror.open(fetch: true, events: again.record)
        #expect(again.all.isEmpty)
        #expect(try await reopened.resolveCommit("origin/main") == second)

        try upstream.write("Alpha v3\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        try upstream.commitAll("third")
        let offline = try await mirror.open(fetch: false)
        #expect(try await offline.resolveCommit("origin/main") == second, "fetch: false reads the clone as it is")
    }

    @Test("a clone whose origin is another URL is re-pointed, says so, and follows the new remote")
    func repointsOrigin() async throws {
        let first = try Fixtures.connectorRepository()
        defer { first.cleanUp() }
        let second = try Fixtures.connectorRepository()
        defer { second.cleanUp() }
        try second.git("checkout", "-q", "-b", "only-in-second")
        try second.write("other\n", to: "README.md")
        let moved = try second.revParse(try second.commitAll("moved"))
        try second.git("branch", "-f", "main", "only-in-second")
        try second.git("checkout", "-q", "main")
        try second.git("branch", "-D", "only-in-second")
        try first.git("branch", "stale")
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let path = state.path + "/repository.git"
        _ = try await RepositoryMirror(url: "file://" + first.path, path: path, credentials: nil).open(fetch: true)

        let events = Events()
        let mirror = RepositoryMirror(url: "file://" + second.path, path: path, credentials: nil)
        let repository = try await mirror.open(fetch: true, events: events.record)
        #expect(events.all == [.repointed(from: "file://" + first.path)])
        #expect(await repository.remoteURL() == "file://" + second.path)
        #expect(try await repository.resolveCommit("origin/main") == moved)
        #expect(await repository.hasReferences(matching: "refs/remotes/origin/stale") == false, "the old remote's branches are pruned")
    }

    @Test("a clone left without its fetched refs (killed mid-clone) is discarded and cloned again")
    func discardsIncompleteClone() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let path = state.path + "/repository.git"
        try ProcessRunner.checked("git", ["init", "-q", "--bare", path], environment: GitFixture.environment)
        try ProcessRunner.checked("git", ["-C", path, "remote", "add", "origin", "file://" + upstream.path], environment: GitFixture.environment)
        // A temporary clone of a process that is gone (pid far above pid_max's default).
        let stale = state.path + "/.repository.git.partial-99999999"
        try FileManager.default.createDirectory(atPath: stale + "/objects", withIntermediateDirectories: true)

        let events = Events()
        let repository = try await RepositoryMirror(url: "file://" + upstream.path, path: path, credentials: nil)
            .open(fetch: true, events: events.record)
        #expect(events.all == [.discardedIncomplete, .cloning])
        #expect(try await repository.resolveCommit("origin/main") == upstream.revParse("HEAD"))
        #expect(!FileManager.default.fileExists(atPath: stale), "a dead process's temporary clone is removed")
    }

    @Test("a folder in the way that is not a repository is an error that says what to do")
    func refusesForeignFolder() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let state = try TemporaryDirectory()
        defer { state.remove() }
        try state.write("mine\n", to: "repository.git/notes.txt")
        let mirror = RepositoryMirror(url: "file://" + upstream.path, path: state.path + "/repository.git", credentials: nil)
        let error = try await #require(throws: GitError.self) { _ = try await mirror.open(fetch: true) }
        #expect(error.message.contains("is not a git repository"))
        #expect(error.message.contains("repository.path"))
        #expect(FileManager.default.fileExists(atPath: state.path + "/repository.git/notes.txt"), "nothing of the user's is removed")
    }

    @Test("without configured credentials, a server that asks for them gets a plain message, not libgit2's")
    func missingCredentials() async throws {
        try #require(GitHTTPServer.isAvailable || ProcessInfo.processInfo.environment["CI"] != "true")
        guard GitHTTPServer.isAvailable else { return }
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let bare = try upstream.bareClone()
        defer { bare.remove() }
        let server = try GitHTTPServer(root: bare.path, username: "bot", token: "t0ken")
        defer { server.stop() }
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let mirror = RepositoryMirror(url: server.url("repo.git"), path: state.path + "/repository.git", credentials: nil)
        let error = try await #require(throws: GitError.self) { _ = try await mirror.open(fetch: true) }
        #expect(error.message.contains("asks for credentials; set repository.credentials"), "\(error)")
        #expect(!error.message.contains("callback"))
    }
}
