import Foundation
import SpecSyncTestSupport
import Testing

/// `specsync validate`, run as the real binary.
@Suite("specsync validate")
struct ValidateCommandTests {
    static let seed000 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SpecSyncCoreTests/Fixtures/seed000-broken.json")

    @Test("a clean repository exits 0 and says so")
    func clean() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SampleBundle.write("alpha", in: directory)
        try SampleBundle.write("beta", in: directory)
        let result = try SpecSyncBinary.run(["validate"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 bundles checked"))
        #expect(result.stdout.contains("0 errors, 0 warnings"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    }

    @Test("seed 000 gives one syntax diagnostic with its line and column; the valid bundle is still checked")
    func brokenSeed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SampleBundle.write("good", in: directory)
        try SampleBundle.write("broken", in: directory)
        try directory.write(try Data(contentsOf: Self.seed000), to: "Sources/broken/Artifacts/broken-connectionSpec.json")
        let result = try SpecSyncBinary.run(["validate", "--format", "json"], in: directory.url)
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let diagnostics = try #require(report?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?["file"] as? String == "Sources/broken/Artifacts/broken-connectionSpec.json")
        #expect(diagnostics.first?["line"] as? Int == 11)
        #expect(diagnostics.first?["column"] as? Int == 1)
        #expect(diagnostics.first?["code"] as? String == "json-syntax")
        #expect(report?["bundles"] as? Int == 2)
        #expect(report?["errors"] as? Int == 1)
    }

    @Test("PATH can name one bundle; --rev checks a commit, not the files on disk")
    func pathAndRevision() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try SampleBundle.write("alpha", in: fixture.directory)
        try SampleBundle.write("beta", in: fixture.directory)
        try fixture.commitAll("two bundles")
        try fixture.write("{ not json", to: "Sources/beta/Artifacts/beta-connectionSpec.json")

        let onlyAlpha = try SpecSyncBinary.run(["validate", "Sources/alpha"], in: fixture.url)
        #expect(onlyAlpha.status == 0, "\(onlyAlpha.stdout)\(onlyAlpha.stderr)")
        #expect(onlyAlpha.stdout.contains("1 bundle checked"))

        let workingTree = try SpecSyncBinary.run(["validate"], in: fixture.url)
        #expect(workingTree.status == 1)
        #expect(workingTree.stdout.contains("Sources/beta/Artifacts/beta-connectionSpec.json:1:3: error:"))

        let committed = try SpecSyncBinary.run(["validate", "--rev", "HEAD"], in: fixture.url)
        #expect(committed.status == 0, "\(committed.stdout)\(committed.stderr)")
        #expect(committed.stdout.contains("in commit "))

        let badRevision = try SpecSyncBinary.run(["validate", "--rev", "no-such-branch"], in: fixture.url)
        #expect(badRevision.status == 1)
        #expect(badRevision.stderr.contains("no-such-branch"))
    }

    @Test("a configuration with an unknown key fails with the key and its line")
    func badConfiguration() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("bundles:\n  rot: Sources\n", to: "specsync.yaml")
        let result = try SpecSyncBinary.run(["validate"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("specsync.yaml:2:3: unknown key 'rot' under 'bundles'"))
    }

    @Test("a path outside any bundle root is a clear error")
    func noRoot() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try SpecSyncBinary.run(["validate", directory.path], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("holds no 'Sources' folder"))
    }
}
