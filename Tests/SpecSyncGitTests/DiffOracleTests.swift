import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// Compares `GitRepository.diff` with `git diff --name-status -M` over changes that stress the pruned tree scan:
/// whole directories appearing and vanishing, files becoming directories, look-alike prefixes.
@Suite struct DiffOracleTests {
    static let pathspecs: [[String]] = [
        [], ["Sources/"], ["Sources"], ["Sources/a"], ["Sources/a/"], ["Sources/ab"], ["Sources/gamma/Artifacts"],
        ["docs", "Sources/beta/"], ["swap"], ["swap/"], ["nothing/here"],
    ]

    @Test(arguments: pathspecs)
    func matchesGitDiff(pathspec: [String]) async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("a file\n", to: "Sources/a")
        try fixture.write("ab\n", to: "Sources/ab/x.txt")
        try fixture.write("beta\n", to: "Sources/beta/Artifacts/beta-label.txt")
        try fixture.write(Fixtures.largeText("beta spec"), to: "Sources/beta/Artifacts/beta-connectionSpec.json")
        try fixture.write("old\n", to: "Sources/old/Artifacts/old-label.txt")
        try fixture.write("was a file\n", to: "swap")
        try fixture.write("docs\n", to: "docs/index.md")
        let before = try fixture.revParse(try fixture.commitAll("before"))

        try fixture.write("a file, edited\n", to: "Sources/a")
        try fixture.write("ab, edited\n", to: "Sources/ab/x.txt")
        try fixture.write("gamma\n", to: "Sources/gamma/Artifacts/gamma-label.txt")
        try fixture.write("{}\n", to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
        try fixture.git("mv", "Sources/beta/Artifacts/beta-connectionSpec.json", "Sources/beta/spec.json")
        try fixture.git("rm", "-q", "-r", "Sources/old")
        try fixture.remove("swap")
        try fixture.write("now a directory\n", to: "swap/inner.txt")
        try fixture.write("docs, edited\n", to: "docs/index.md")
        let after = try fixture.revParse(try fixture.commitAll("after"))

        let repository = try GitRepository(path: fixture.path)
        let ours = try await repository.diff(from: before, to: after, paths: pathspec).map(Self.nameStatus)
        let gitPathspec = pathspec.isEmpty ? [] : ["--"] + pathspec
        let theirs = try fixture.git(["diff", "--name-status", "-M"] + [before.hex, after.hex] + gitPathspec)
        #expect(ours.sorted() == Self.lines(theirs).sorted())
        if pathspec.isEmpty { #expect(ours.count == 9) }
    }

    static func nameStatus(_ delta: DiffDelta) -> String {
        switch delta.status {
        case .added: "A\t\(delta.newPath ?? "")"
        case .deleted: "D\t\(delta.oldPath ?? "")"
        case .modified: "M\t\(delta.newPath ?? "")"
        case .typeChanged: "T\t\(delta.newPath ?? "")"
        case .renamed: "R\(String(format: "%03d", delta.similarity))\t\(delta.oldPath ?? "")\t\(delta.newPath ?? "")"
        case .copied: "C\(String(format: "%03d", delta.similarity))\t\(delta.oldPath ?? "")\t\(delta.newPath ?? "")"
        }
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }
}

@Suite struct DiffPathspecTests {
    @Test func normalisesAndRecognisesTheWholeTree() {
        #expect(DiffPathspec([]).isEverything)
        #expect(DiffPathspec(["/"]).isEverything)
        #expect(DiffPathspec(["Sources/", ""]).isEverything)
        #expect(DiffPathspec(["/Sources//x/", "Sources/x/", "a"]).items.map(\.literal) == ["Sources/x/", "a"])
    }

    @Test func decidesWhichDirectoriesToOpen() {
        let spec = DiffPathspec(["Sources/a/", "docs"])
        #expect(spec.mayContainMatches(directory: "Sources"))
        #expect(spec.mayContainMatches(directory: "Sources/a"))
        #expect(spec.mayContainMatches(directory: "Sources/a/deep"))
        #expect(spec.mayContainMatches(directory: "docs/x"))
        #expect(!spec.mayContainMatches(directory: "Sources/ab"))
        #expect(!spec.mayContainMatches(directory: "doc"))
        #expect(!spec.mayContainMatches(directory: "tools"))
    }

    @Test func turnsChangedPathsIntoAPathlist() {
        let spec = DiffPathspec(["Sources/a/", "docs"])
        #expect(spec.pathlist(forChanged: "Sources/a/x.json", isDirectory: false) == ["Sources/a/x.json"])
        #expect(spec.pathlist(forChanged: "Sources/a", isDirectory: true) == ["Sources/a/"])
        #expect(spec.pathlist(forChanged: "Sources/a", isDirectory: false).isEmpty)  // a file, spec wants a directory
        #expect(spec.pathlist(forChanged: "Sources", isDirectory: true) == ["Sources/a/"])  // Sources appeared whole
        #expect(spec.pathlist(forChanged: "docs", isDirectory: false) == ["docs"])
        #expect(spec.pathlist(forChanged: "Sources/ab", isDirectory: true).isEmpty)
        #expect(DiffPathspec([]).pathlist(forChanged: "x/y", isDirectory: true) == ["x/y"])
    }
}
