import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

@Suite struct RevisionTests {
    @Test func resolvesEveryKindOfRevision() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("one\n", to: "file.txt")
        let first = try fixture.commitAll("first")
        try fixture.write("two\n", to: "file.txt")
        let second = try fixture.commitAll("second")
        try fixture.git("tag", "-a", "v1", "-m", "release one", first)
        try fixture.git("tag", "light", second)
        try fixture.git("branch", "feature", first)

        let repository = try GitRepository(path: fixture.path)
        #expect(try await repository.resolveCommit("HEAD").hex == second)
        #expect(try await repository.resolveCommit("main").hex == second)
        #expect(try await repository.resolveCommit("refs/heads/main").hex == second)
        #expect(try await repository.resolveCommit("feature").hex == first)
        #expect(try await repository.resolveCommit("light").hex == second)
        // An annotated tag is a tag object; it must be peeled to its commit.
        let tagObject = try fixture.git("rev-parse", "v1")
        #expect(tagObject != first)
        #expect(try await repository.resolveCommit("v1").hex == first)
        #expect(try await repository.resolveCommit("HEAD~1").hex == first)
        #expect(try await repository.resolveCommit("main^").hex == first)
        #expect(try await repository.resolveCommit(first).hex == first)
        #expect(try await repository.resolveCommit(String(first.prefix(8))).hex == first)
    }

    /// The daemon frees libgit2's caches after each pass: what is read afterwards must be what git has,
    /// including a commit (a new loose object, a repacked store) made while nothing was cached.
    @Test func readsAfterReleasingTheCaches() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("one\n", to: "dir/file.txt")
        let first = try fixture.commitAll("first")
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")
        let entry = try #require(try await repository.entry(at: "dir/file.txt", in: head))
        #expect(try await repository.blob(entry.id) == Array("one\n".utf8))

        await repository.releaseCaches()
        #expect(try await repository.resolveCommit("HEAD").hex == first)
        #expect(try await repository.blob(entry.id) == Array("one\n".utf8))

        try fixture.write("two\n", to: "dir/file.txt")
        let second = try fixture.commitAll("second")
        try fixture.git("gc", "-q")
        await repository.releaseCaches()
        let moved = try await repository.resolveCommit("main")
        #expect(moved.hex == second)
        let changed = try #require(try await repository.entry(at: "dir/file.txt", in: moved))
        #expect(try await repository.blob(changed.id) == Array("two\n".utf8))
        #expect(try await repository.blob(entry.id) == Array("one\n".utf8), "the first blob, now in a pack")
        await repository.releaseCaches()
        await repository.releaseCaches()
        #expect(await repository.containsObject(head))
    }

    @Test func aBadRevisionNamesTheRevision() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("one\n", to: "file.txt")
        try fixture.commitAll("first")
        let repository = try GitRepository(path: fixture.path)

        let error = try await #require(throws: GitError.self) { try await repository.resolveCommit("no-such-branch") }
        #expect(error.isNotFound)
        #expect(error.operation == "resolve revision 'no-such-branch'")
        #expect(error.message.contains("no-such-branch"))
        #expect(error.description.hasPrefix("could not resolve revision 'no-such-branch': "))

        let tooFar = try await #require(throws: GitError.self) { try await repository.resolveCommit("HEAD~5") }
        #expect(tooFar.operation == "resolve revision 'HEAD~5'")
    }

    @Test func emptyRepositoryHasNoHead() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let error = try await #require(throws: GitError.self) { try await repository.resolveCommit("HEAD") }
        #expect(error.operation == "resolve revision 'HEAD'")
        #expect(!error.message.isEmpty)
    }

    @Test func readsCommitDetails() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("one\n", to: "file.txt")
        let first = try fixture.commitAll("first commit\n\nwith a body")
        try fixture.write("two\n", to: "file.txt")
        let second = try fixture.commitAll("second commit")

        let repository = try GitRepository(path: fixture.path)
        let info = try await repository.commit(try Fixtures.id(second))
        #expect(info.id.hex == second)
        #expect(info.tree.hex == (try fixture.git("rev-parse", "HEAD^{tree}")))
        #expect(info.parents.map(\.hex) == [first])
        #expect(info.summary == "second commit")
        #expect(info.time == Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z
        #expect(info.author == "specsync tests <tests@specsync.invalid>")
        #expect(!info.isMerge)

        let root = try await repository.commit(try Fixtures.id(first))
        #expect(root.parents.isEmpty)
        #expect(root.summary == "first commit")

        let random = try Fixtures.id("1234567890123456789012345678901234567890")
        let error = try await #require(throws: GitError.self) { try await repository.commit(random) }
        #expect(error.isNotFound)
        #expect(error.operation == "read commit \(random.hex)")
    }

    @Test func containsObjectAndMergeBase() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("base\n", to: "file.txt")
        let base = try fixture.commitAll("base")
        try fixture.git("checkout", "-q", "-b", "side")
        try fixture.write("side\n", to: "side.txt")
        let side = try fixture.commitAll("side")
        try fixture.git("checkout", "-q", "main")
        try fixture.write("main\n", to: "main.txt")
        let main = try fixture.commitAll("main")
        try fixture.git("checkout", "-q", "--orphan", "lonely")
        try fixture.write("alone\n", to: "file.txt")
        let lonely = try fixture.commitAll("unrelated history")

        let repository = try GitRepository(path: fixture.path)
        #expect(await repository.containsObject(try Fixtures.id(main)))
        #expect(await repository.containsObject(try fixture.revParse("HEAD:file.txt")))
        #expect(await repository.containsObject(try Fixtures.id("deadbeefdeadbeefdeadbeefdeadbeefdeadbeef")) == false)
        #expect(await repository.containsObject(.zero) == false)

        let mergeBase = try await repository.mergeBase(try Fixtures.id(main), try Fixtures.id(side))
        #expect(mergeBase?.hex == base)
        #expect(mergeBase?.hex == (try fixture.git("merge-base", main, side)))
        #expect(try await repository.mergeBase(try Fixtures.id(main), try Fixtures.id(lonely)) == nil)

        #expect(try await repository.isAncestor(try Fixtures.id(base), of: try Fixtures.id(main)))
        #expect(try await repository.isAncestor(try Fixtures.id(side), of: try Fixtures.id(main)) == false)
        #expect(try await repository.isAncestor(try Fixtures.id(main), of: try Fixtures.id(main)))
    }
}
