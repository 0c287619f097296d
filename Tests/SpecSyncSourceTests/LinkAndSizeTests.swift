import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncTestSupport
import Testing
@testable import SpecSyncSource

/// Links are reported wherever they stand in place of a bundle's files or folders, and a file over
/// the size limit is reported by its size without being read: the same from a commit (both ways of
/// reading one) and from a folder on disk.
@Suite("Links and oversized files")
struct LinkAndSizeTests {
    let layout = BundleLayout()

    /// Each bad bundle's one error, by location.
    static let expected = [
        "linked-folder": "Sources/linked-folder",
        "linked-artifacts": "Sources/linked-artifacts/Artifacts",
        "linked-spec": "Sources/linked-spec/Artifacts/linked-spec-connectionSpec.json",
        "oversized": "Sources/oversized/Artifacts/oversized-connectionSpec.json",
    ]

    /// A repository with a valid bundle, `padding` more, and the bad ones; links point at a valid
    /// bundle outside it, which a followed link would read.
    static func makeFixture(padding: Int) throws -> (GitFixture, TemporaryDirectory) {
        let layout = BundleLayout()
        let fixture = try GitFixture()
        let outside = try TemporaryDirectory()
        try SampleBundle.write("elsewhere", in: outside)
        let elsewhere = outside.path + "/Sources/elsewhere"
        for index in 0..<padding { try SampleBundle.write("padding-\(index)", in: fixture.directory) }
        for name in ["valid", "linked-spec", "oversized"] { try SampleBundle.write(name, in: fixture.directory) }
        let spec = fixture.path + "/" + layout.path(of: .spec, in: BundleID("linked-spec"))
        try FileManager.default.removeItem(atPath: spec)
        try FileManager.default.createSymbolicLink(atPath: spec, withDestinationPath: elsewhere + "/Artifacts/elsewhere-connectionSpec.json")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/Sources/linked-folder", withDestinationPath: elsewhere)
        try FileManager.default.createDirectory(atPath: fixture.path + "/Sources/linked-artifacts", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/Sources/linked-artifacts/Artifacts", withDestinationPath: elsewhere + "/Artifacts")
        let huge = SampleBundle.spec(name: "oversized", extra: "\n  \"x\": \"\(String(repeating: "a", count: BundleFile.maximumSize))\",")
        try fixture.write(huge, to: layout.path(of: .spec, in: BundleID("oversized")))
        try fixture.commitAll("links and a large file")
        return (fixture, outside)
    }

    func check(_ evaluated: [EvaluatedBundle], padding: Int) {
        #expect(evaluated.count == padding + 5)
        for bundle in evaluated {
            let errors = bundle.diagnostics.filter { $0.severity == .error }
            if let location = Self.expected[bundle.id.source] {
                #expect(errors.map(\.location) == [location], "\(bundle.id)")
                #expect(bundle.body == nil, "\(bundle.id)")
            } else {
                #expect(errors.isEmpty && bundle.body != nil, "\(bundle.id): \(errors)")
            }
        }
        let oversized = evaluated.first { $0.id.source == "oversized" }
        #expect(oversized?.diagnostics.first?.message.hasPrefix("the file is 8389981 bytes; the limit") == true,
                "\(oversized?.diagnostics ?? [])")
    }

    @Test("from a commit, with a few bundles and with a hundred more", arguments: [0, 100])
    func fromCommit(padding: Int) async throws {
        let (fixture, outside) = try await BlockingWork.run { try Self.makeFixture(padding: padding) }
        defer { fixture.cleanUp(); outside.remove() }
        let repository = try GitRepository(path: fixture.path)
        let source = GitCommitSource(repository: repository, commit: try await repository.resolveCommit("HEAD"), layout: layout)
        check(try await source.evaluateAll(with: BundleEvaluator(layout: layout)), padding: padding)
    }

    @Test("from a folder on disk")
    func fromFolder() async throws {
        let (fixture, outside) = try await BlockingWork.run { try Self.makeFixture(padding: 0) }
        defer { fixture.cleanUp(); outside.remove() }
        let source = DirectorySource(directory: fixture.path, layout: layout)
        check(try await source.evaluateAll(with: BundleEvaluator(layout: layout)), padding: 0)
    }
}
