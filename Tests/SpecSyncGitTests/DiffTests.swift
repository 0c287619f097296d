import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

@Suite struct DiffTests {
    @Test func addModifyDelete() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let before = try fixture.revParse("HEAD")
        let oldLabel = try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-label.txt")
        let oldBeta = try fixture.revParse("HEAD:Sources/beta/Artifacts/beta-label.txt")
        try fixture.write("Alpha v2\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        try fixture.write("<svg/>\n", to: "Sources/alpha/Artifacts/alpha-icon.svg")
        try fixture.remove("Sources/beta/Artifacts/beta-label.txt")
        let after = try fixture.revParse(try fixture.commitAll("change"))

        let repository = try GitRepository(path: fixture.path)
        let deltas = try await repository.diff(from: before, to: after)
        #expect(
            deltas == [
                DiffDelta(
                    status: .added, oldPath: nil, newPath: "Sources/alpha/Artifacts/alpha-icon.svg", oldID: nil,
                    newID: try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-icon.svg")),
                DiffDelta(
                    status: .modified, oldPath: "Sources/alpha/Artifacts/alpha-label.txt",
                    newPath: "Sources/alpha/Artifacts/alpha-label.txt", oldID: oldLabel,
                    newID: try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-label.txt")),
                DiffDelta(
                    status: .deleted, oldPath: "Sources/beta/Artifacts/beta-label.txt", newPath: nil, oldID: oldBeta,
                    newID: nil),
            ])
        #expect(
            deltas.flatMap(\.paths) == [
                "Sources/alpha/Artifacts/alpha-icon.svg", "Sources/alpha/Artifacts/alpha-label.txt",
                "Sources/beta/Artifacts/beta-label.txt",
            ])
        // Same commit: nothing.
        #expect(try await repository.diff(from: after, to: after).isEmpty)
    }

    @Test func renameIsDetectedWithBothPaths() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        let text = Fixtures.largeText("spec")
        try fixture.write(text, to: "Sources/old/Artifacts/old-connectionSpec.json")
        try fixture.write("keep\n", to: "Sources/old/Artifacts/old-label.txt")
        let before = try fixture.revParse(try fixture.commitAll("before"))
        let blob = try fixture.revParse("HEAD:Sources/old/Artifacts/old-connectionSpec.json")
        try fixture.git("mv", "Sources/old/Artifacts/old-connectionSpec.json", "Sources/new-connectionSpec.json")
        let after = try fixture.revParse(try fixture.commitAll("rename"))

        let repository = try GitRepository(path: fixture.path)
        let renamed = try await repository.diff(from: before, to: after)
        #expect(
            renamed == [
                DiffDelta(
                    status: .renamed, oldPath: "Sources/old/Artifacts/old-connectionSpec.json",
                    newPath: "Sources/new-connectionSpec.json", oldID: blob, newID: blob, similarity: 100)
            ])
        #expect(
            renamed[0].paths == ["Sources/old/Artifacts/old-connectionSpec.json", "Sources/new-connectionSpec.json"])

        let plain = try await repository.diff(from: before, to: after, detectRenames: false)
        #expect(plain.map(\.status) == [.added, .deleted])
        #expect(
            plain.map(\.paths) == [
                ["Sources/new-connectionSpec.json"], ["Sources/old/Artifacts/old-connectionSpec.json"],
            ])

        // A rename with a small edit is still a rename, with a similarity below 100.
        var edited = text
        edited += "one more line\n"
        try fixture.git("mv", "Sources/new-connectionSpec.json", "Sources/third.json")
        try fixture.write(edited, to: "Sources/third.json")
        let third = try fixture.revParse(try fixture.commitAll("rename and edit"))
        let fuzzy = try await repository.diff(from: after, to: third)
        #expect(fuzzy.count == 1)
        #expect(fuzzy.first?.status == .renamed)
        #expect(fuzzy.first?.oldPath == "Sources/new-connectionSpec.json")
        #expect(fuzzy.first?.newPath == "Sources/third.json")
        #expect((50..<100).contains(fuzzy.first?.similarity ?? 0))
    }

    @Test func pathspecLimitsTheDiff() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let before = try fixture.revParse("HEAD")
        try fixture.write("# Connectors, edited\n", to: "README.md")
        try fixture.write("echo changed\n", to: "tools/run.sh")
        try fixture.write("# not a source\n", to: "SourcesExtra/x.md")  // shares the prefix, not the directory
        let outside = try fixture.revParse(try fixture.commitAll("outside Sources"))

        let repository = try GitRepository(path: fixture.path)
        #expect(try await repository.diff(from: before, to: outside, paths: ["Sources/"]).isEmpty)
        #expect(
            try await repository.diff(from: before, to: outside).map(\.newPath) == [
                "README.md", "SourcesExtra/x.md", "tools/run.sh",
            ])
        #expect(
            try await repository.diff(from: before, to: outside, paths: ["README.md", "tools"]).map(\.newPath) == [
                "README.md", "tools/run.sh",
            ])

        try fixture.write("Beta v2\n", to: "Sources/beta/Artifacts/beta-label.txt")
        let inside = try fixture.revParse(try fixture.commitAll("inside Sources"))
        #expect(
            try await repository.diff(from: outside, to: inside, paths: ["Sources/"]).map(\.newPath) == [
                "Sources/beta/Artifacts/beta-label.txt"
            ])
        #expect(
            try await repository.diff(from: before, to: inside, paths: ["/Sources/alpha", "Sources/beta/"]).map(
                \.newPath) == [
                    "Sources/beta/Artifacts/beta-label.txt"
                ])
        #expect(try await repository.diff(from: before, to: inside, paths: ["Sources/alpha/"]).isEmpty)
        // "" or "/" means the whole tree.
        #expect(try await repository.diff(from: before, to: inside, paths: ["/"]).count == 4)
    }

    @Test func diffFromNothingAddsEverything() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let head = try fixture.revParse("HEAD")
        let repository = try GitRepository(path: fixture.path)

        let deltas = try await repository.diff(from: nil, to: head)
        let files = try fixture.git("ls-tree", "-r", "--name-only", "HEAD").split(separator: "\n").map(String.init)
        #expect(deltas.map(\.newPath) == files)
        #expect(deltas.allSatisfy { $0.status == .added && $0.oldPath == nil && $0.oldID == nil })
        #expect(deltas.first { $0.newPath == "link" }?.newID == (try fixture.revParse("HEAD:link")))

        let sources = try await repository.diff(from: nil, to: head, paths: ["Sources/"])
        #expect(sources.map(\.newPath) == files.filter { $0.hasPrefix("Sources/") })
        #expect(sources.count == 4)
    }

    @Test func typeChangeIsReported() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("target\n", to: "target.txt")
        try fixture.write("a file\n", to: "thing")
        let before = try fixture.revParse(try fixture.commitAll("file"))
        try fixture.remove("thing")
        try Fixtures.symlink("thing", to: "target.txt", in: fixture)
        let after = try fixture.revParse(try fixture.commitAll("now a symlink"))

        let repository = try GitRepository(path: fixture.path)
        let deltas = try await repository.diff(from: before, to: after)
        #expect(deltas.map(\.status) == [.typeChanged])
        #expect(deltas.first?.newID == (try fixture.revParse("HEAD:thing")))
        #expect(deltas.first?.oldID == (try fixture.revParse("HEAD~1:thing")))
    }

    @Test func diffAcrossAMergeCommitAgainstItsFirstParent() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        try fixture.git("checkout", "-q", "-b", "feature")
        try fixture.write("{\"name\":\"gamma\"}\n", to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
        try fixture.commitAll("add gamma")
        try fixture.write("Gamma\n", to: "Sources/gamma/Artifacts/gamma-label.txt")
        try fixture.commitAll("label gamma")
        try fixture.git("checkout", "-q", "main")
        try fixture.write("Alpha on main\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        try fixture.commitAll("edit alpha on main")
        try fixture.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")

        let repository = try GitRepository(path: fixture.path)
        let merge = try await repository.resolveCommit("HEAD")
        let info = try await repository.commit(merge)
        #expect(info.isMerge)
        #expect(info.parents == [try fixture.revParse("HEAD^1"), try fixture.revParse("HEAD^2")])

        let fromFirstParent = try await repository.diff(from: info.parents[0], to: merge, paths: ["Sources/"])
        #expect(fromFirstParent.map(\.status) == [.added, .added])
        #expect(
            fromFirstParent.map(\.newPath) == [
                "Sources/gamma/Artifacts/gamma-connectionSpec.json", "Sources/gamma/Artifacts/gamma-label.txt",
            ])
        let fromSecondParent = try await repository.diff(from: info.parents[1], to: merge, paths: ["Sources/"])
        #expect(fromSecondParent.map(\.newPath) == ["Sources/alpha/Artifacts/alpha-label.txt"])
        #expect(fromSecondParent.map(\.status) == [.modified])
    }

    /// The diff must cost what changed, not what exists: an unchanged subtree is never read. Proven by deleting
    /// its (loose) tree object — reading it would fail.
    @Test func unchangedSubtreesAreNotRead() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        try fixture.write("unrelated\n", to: "docs/guide/intro.md")
        let before = try fixture.revParse(try fixture.commitAll("docs"))
        try fixture.write("Alpha v3\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        let after = try fixture.revParse(try fixture.commitAll("edit alpha"))

        let unchanged = try ["HEAD:Sources/beta", "HEAD:Sources/beta/Artifacts", "HEAD:docs", "HEAD:tools"].map {
            try fixture.git("rev-parse", $0)
        }
        for hex in unchanged {
            try FileManager.default.removeItem(
                atPath: "\(fixture.path)/.git/objects/\(hex.prefix(2))/\(hex.dropFirst(2))")
        }

        let repository = try GitRepository(path: fixture.path)
        let expected = ["Sources/alpha/Artifacts/alpha-label.txt"]
        #expect(try await repository.diff(from: before, to: after).map(\.newPath) == expected)
        #expect(try await repository.diff(from: before, to: after, paths: ["Sources/"]).map(\.newPath) == expected)
        #expect(try await repository.diff(from: before, to: after, paths: ["Sources/alpha"]).map(\.newPath) == expected)
        #expect(try await repository.diff(from: before, to: after, paths: ["Sources/beta"]).isEmpty)
        // The objects really are gone.
        #expect(await repository.containsObject(try Fixtures.id(unchanged[0])) == false)
    }

    @Test func packedAndLooseRepositoriesReadTheSame() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let before = try fixture.revParse("HEAD")
        let big = Fixtures.largeText("packed", lines: 400)
        try fixture.write(big, to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
        try fixture.git("mv", "Sources/beta", "Sources/delta")
        let after = try fixture.revParse(try fixture.commitAll("edit and move"))
        let specID = try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-connectionSpec.json")

        func read(_ repository: GitRepository) async throws -> ([DiffDelta], [UInt8], [TreeEntry]) {
            (
                try await repository.diff(from: before, to: after, paths: ["Sources/"]),
                try await repository.blob(specID),
                try await repository.walk("", in: after)
            )
        }

        let looseCount = try fixture.git("count-objects", "-v").contains("in-pack: 0")
        #expect(looseCount)
        let loose = try await read(try GitRepository(path: fixture.path))

        try fixture.git("gc", "-q", "--aggressive", "--prune=now")
        try fixture.git("repack", "-adf", "-q")
        let counts = try fixture.git("count-objects", "-v")
        #expect(counts.contains("count: 0"))
        let packed = try await read(try GitRepository(path: fixture.path))

        #expect(loose.0 == packed.0)
        #expect(loose.1 == packed.1)
        #expect(loose.2 == packed.2)
        #expect(packed.1 == Array(big.utf8))
        #expect(packed.0.map(\.status) == [.modified, .renamed, .renamed])
        #expect(
            packed.0.map(\.newPath) == [
                "Sources/alpha/Artifacts/alpha-connectionSpec.json", "Sources/delta/Artifacts/beta-connectionSpec.json",
                "Sources/delta/Artifacts/beta-label.txt",
            ])
    }
}
