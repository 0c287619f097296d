import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// inotify on a real repository changed by the `git` CLI. No timing is asserted: each wait ends
/// at the first change, or after 30 s (the watcher is then stopped and the wait fails).
@Suite struct RefWatcherTests {
    /// A long debounce, so that one git command's writes are one change even on a loaded machine
    /// and the next change comes from the next command.
    func watcher(for fixture: GitFixture) async throws -> RefWatcher {
        let repository = try GitRepository(path: fixture.path)
        return try RefWatcher(gitDirectory: await repository.gitDirectory, commonDirectory: await repository.commonDirectory,
                              debounce: .milliseconds(200))
    }

    /// The next change, false if none came (or the stream ended) within 30 s.
    func nextChange(_ iterator: inout AsyncStream<Void>.Iterator, _ watcher: RefWatcher) async -> Bool {
        let timeout = Task {
            try await Task.sleep(for: .seconds(30))
            watcher.stop()
        }
        defer { timeout.cancel() }
        return await iterator.next() != nil
    }

    @Test("a commit on the branch is a change")
    func commitIsAChange() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.commitAll("first")
        let watcher = try await watcher(for: fixture)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        try fixture.write("two\n", to: "file.txt")
        try fixture.commitAll("second")
        #expect(await nextChange(&changes, watcher))
        #expect(watcher.lost == nil)
    }

    @Test("a nested branch made after the watch started is a change, and so is its next commit (its new directory is watched)")
    func nestedBranchIsWatched() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.commitAll("first")
        let watcher = try await watcher(for: fixture)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        try fixture.git("branch", "team/feature/x")
        #expect(await nextChange(&changes, watcher))
        // Moves team/feature/x with no other ref written: only the watch of the new directory sees it.
        let head = try fixture.git("rev-parse", "HEAD")
        let tree = try fixture.git("rev-parse", "HEAD^{tree}")
        let commit = try fixture.git("commit-tree", tree, "-p", head, "-m", "on the nested branch")
        try fixture.git("update-ref", "refs/heads/team/feature/x", commit)
        #expect(await nextChange(&changes, watcher))
        #expect(try fixture.git("rev-parse", "team/feature/x") == commit)
    }

    @Test("deleting a tag that is in packed-refs only (no loose file: only packed-refs is rewritten) is a change")
    func packedRefsAreWatched() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.commitAll("first")
        try fixture.git("tag", "v1")
        try fixture.git("pack-refs", "--all", "--prune")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/refs/tags/v1"))
        let watcher = try await watcher(for: fixture)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        try fixture.git("tag", "-d", "v1")
        #expect(await nextChange(&changes, watcher))
    }

    @Test("a worktree's watcher sees a commit made in the worktree (refs in the common directory) and a checkout there (its own HEAD)")
    func worktreeIsWatched() async throws {
        let fixture = try GitFixture()
        let worktrees = try TemporaryDirectory(prefix: "specsync-worktree")
        defer {
            fixture.cleanUp()
            worktrees.remove()
        }
        try fixture.commitAll("first")
        let path = worktrees.path + "/side"
        try fixture.git("worktree", "add", "-q", "-b", "side", path)
        let repository = try GitRepository(path: path)
        let gitDirectory = await repository.gitDirectory
        let commonDirectory = await repository.commonDirectory
        #expect(gitDirectory != commonDirectory)
        let watcher = try RefWatcher(gitDirectory: gitDirectory, commonDirectory: commonDirectory, debounce: .milliseconds(200))
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        _ = try GitFixture.run(in: path, "commit", "-q", "--allow-empty", "-m", "in the worktree")
        #expect(await nextChange(&changes, watcher))
        _ = try GitFixture.run(in: path, "checkout", "-q", "--detach")
        #expect(await nextChange(&changes, watcher))
    }

    @Test("stop() ends the stream")
    func stopEndsTheStream() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.commitAll("first")
        let watcher = try await watcher(for: fixture)
        var changes = watcher.changes.makeAsyncIterator()
        watcher.stop()
        #expect(await changes.next() == nil)
        #expect(watcher.lost == nil)
    }

    @Test("removing the repository ends the watch and says why")
    func removedRepositoryIsLost() async throws {
        let fixture = try GitFixture()
        try fixture.commitAll("first")
        let watcher = try await watcher(for: fixture)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        fixture.cleanUp()
        // Changes may come first (the refs go); then the stream ends.
        while await nextChange(&changes, watcher) {}
        #expect(watcher.lost?.contains("was removed") == true, "\(watcher.lost ?? "nil")")
    }

    @Test("a directory that cannot be watched is an error naming it")
    func missingDirectoryIsAnError() async throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect {
            try RefWatcher(gitDirectory: missing, commonDirectory: missing)
        } throws: { error in
            "\(error)".contains("inotify_add_watch '\(missing)' failed: No such file or directory")
        }
    }
}

extension GitFixture {
    /// Runs `git` in another directory (a worktree) with the fixture's environment.
    static func run(in path: String, _ arguments: String...) throws -> String {
        try ProcessRunner.checked("git", arguments, in: URL(fileURLWithPath: path), environment: environment).stdout
    }
}
