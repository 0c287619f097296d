import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncTestSupport
import Testing
@testable import SpecSyncSource

/// Change detection on real repositories made with the git CLI.
@Suite("Change detection")
struct ChangeDetectorTests {
    let layout = BundleLayout()

    /// A repository with bundles alpha, beta and gamma plus unrelated files, committed.
    func makeRepository() throws -> GitFixture {
        let fixture = try GitFixture()
        for source in ["alpha", "beta", "gamma"] { try SampleBundle.write(source, in: fixture.directory) }
        try fixture.write("# Connectors\n", to: "README.md")
        try fixture.write("echo build\n", to: "tools/build.sh")
        try fixture.commitAll("three bundles")
        return fixture
    }

    func changes(_ fixture: GitFixture, from old: String?, to new: String = "HEAD", path: String? = nil) async throws -> BundleChangeSet {
        let repository = try GitRepository(path: path ?? fixture.path)
        let newID = try await repository.resolveCommit(new)
        let oldID = try await old.asyncMap { try await repository.resolveCommit($0) }
        return try await ChangeDetector(repository: repository, layout: layout).changes(from: oldID, to: newID)
    }

    @Test("a new bundle is detected as touched, nothing else is")
    func added() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try SampleBundle.write("delta", in: fixture.directory)
        try fixture.commitAll("add delta")
        let found = try await changes(fixture, from: "HEAD~1")
        #expect(found.touched == [BundleID("delta")])
        #expect(found.paths[BundleID("delta")]?.count == 5)
        #expect(found.renames.isEmpty)
    }

    @Test("a change to any file of a bundle touches that bundle only", arguments: BundleFileKind.allCases)
    func modified(_ kind: BundleFileKind) async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        let path = layout.path(of: kind, in: BundleID("beta"))
        let current = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(kind == .spec ? current.replacingOccurrences(of: "\"1.0\"", with: "\"1.1\"") : current + " ", to: path)
        try fixture.commitAll("edit \(kind)")
        let found = try await changes(fixture, from: "HEAD~1")
        #expect(found.touched == [BundleID("beta")])
        #expect(found.paths[BundleID("beta")] == [path])
    }

    @Test("a deleted bundle is touched and absent from the new commit")
    func deleted() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try fixture.git("rm", "-r", "-q", "Sources/gamma")
        try fixture.commitAll("remove gamma")
        let found = try await changes(fixture, from: "HEAD~1")
        #expect(found.touched == [BundleID("gamma")])
        let repository = try GitRepository(path: fixture.path)
        let ids = try await GitCommitSource(repository: repository, commit: try await repository.resolveCommit("HEAD"), layout: layout).bundleIDs()
        #expect(ids == [BundleID("alpha"), BundleID("beta")])
    }

    @Test("a renamed bundle is detected as a rename from the old folder")
    func renamed() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try fixture.git("mv", "Sources/alpha", "Sources/omega")
        for kind in BundleFileKind.allCases {
            try fixture.git("mv", "Sources/omega/Artifacts/alpha\(kind.suffix)", "Sources/omega/Artifacts/omega\(kind.suffix)")
        }
        try fixture.commitAll("rename alpha to omega")
        let found = try await changes(fixture, from: "HEAD~1")
        #expect(found.renames == [BundleID("omega"): BundleID("alpha")])
        #expect(found.touched == [BundleID("alpha"), BundleID("omega")])
    }

    @Test("a commit that touches nothing under the root yields no change")
    func irrelevant() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try fixture.write("# Connectors, documented\n", to: "README.md")
        try fixture.write("Sources of truth\n", to: "docs/Sources/notes.md")
        try fixture.commitAll("docs only")
        #expect(try await changes(fixture, from: "HEAD~1") == BundleChangeSet())
    }

    @Test("across a merge commit: first parent sees the merged branch's bundles, the fork point sees both sides")
    func merge() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try fixture.git("checkout", "-q", "-b", "feature")
        try fixture.write(SampleBundle.spec(name: "beta renamed"), to: layout.path(of: .spec, in: BundleID("beta")))
        try fixture.commitAll("feature: beta")
        try fixture.git("checkout", "-q", "main")
        try fixture.write("alpha label v2\n", to: layout.path(of: .label, in: BundleID("alpha")))
        try fixture.commitAll("main: alpha")
        try fixture.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
        #expect(try await changes(fixture, from: "HEAD^1") == changeSet(["beta"], layout: layout, kinds: [.spec]))
        let both = try await changes(fixture, from: "HEAD~2")
        #expect(both.touched == [BundleID("alpha"), BundleID("beta")])
    }

    @Test("packed and loose repositories and a bare clone give the same answers")
    func storageForms() async throws {
        let fixture = try makeRepository()
        defer { fixture.cleanUp() }
        try fixture.write("beta label v2\n", to: layout.path(of: .label, in: BundleID("beta")))
        try fixture.commitAll("edit beta")
        let loose = try await changes(fixture, from: "HEAD~1")
        #expect(try looseObjects(fixture) > 0)

        let bare = try fixture.bareClone()
        defer { bare.remove() }
        let fromBare = try await changes(fixture, from: "HEAD~1", path: bare.path + "/repo.git")

        try fixture.git("gc", "-q", "--aggressive", "--prune=now")
        #expect(try looseObjects(fixture) == 0)
        let packed = try await changes(fixture, from: "HEAD~1")

        #expect(loose.touched == [BundleID("beta")])
        #expect(packed == loose)
        #expect(fromBare == loose)
    }

    /// The number of loose objects, from `git count-objects -v`.
    func looseObjects(_ fixture: GitFixture) throws -> Int {
        let line = try fixture.git("count-objects", "-v").split(separator: "\n").first { $0.hasPrefix("count: ") }
        return Int(line?.dropFirst("count: ".count) ?? "") ?? -1
    }

    func changeSet(_ sources: [String], layout: BundleLayout, kinds: [BundleFileKind]) -> BundleChangeSet {
        var set = BundleChangeSet()
        for source in sources {
            set.touched.insert(BundleID(source))
            set.paths[BundleID(source)] = kinds.map { layout.path(of: $0, in: BundleID(source)) }
        }
        return set
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
