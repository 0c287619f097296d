import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncTestSupport
import Testing
@testable import SpecSyncSource

/// Trees `git add` never makes, built with plumbing (`git mktree`, `git hash-object --literally`),
/// and objects missing from the repository: each fails only the bundles it touches, with an error
/// naming the path, and every other bundle is read as usual.
@Suite("Hostile trees and missing objects")
struct HostileTreeTests {
    let layout = BundleLayout()

    func evaluate(_ fixture: GitFixture, commit: String = "HEAD") async throws -> [String: EvaluatedBundle] {
        let repository = try GitRepository(path: fixture.path)
        let source = GitCommitSource(repository: repository, commit: try await repository.resolveCommit(commit), layout: layout)
        let evaluated = try await source.evaluateAll(with: BundleEvaluator(layout: layout))
        return Dictionary(uniqueKeysWithValues: evaluated.map { ($0.id.source, $0) })
    }

    func errors(_ bundle: EvaluatedBundle?) -> [String] {
        (bundle?.diagnostics ?? []).filter { $0.severity == .error }.map { "\($0.code) \($0.location)" }
    }

    /// Runs `git mktree` on `lines` ("mode type id\tname"), returning the new tree's id.
    func mktree(_ fixture: GitFixture, _ lines: [String]) throws -> String {
        let input = try fixture.directory.write(lines.joined(separator: "\n") + "\n", to: ".mktree-input")
        defer { try? FileManager.default.removeItem(at: input) }
        return try ProcessRunner.checked("sh", ["-c", "git mktree < \(input.path)"], in: fixture.url, environment: GitFixture.environment)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits `sources` as the `Sources` tree of a new commit on top of HEAD.
    func commit(_ fixture: GitFixture, sources: String) throws -> String {
        let root = try mktree(fixture, ["040000 tree \(sources)\tSources"])
        let commit = try fixture.git("commit-tree", root, "-p", "HEAD", "-m", "plumbing")
        try fixture.git("update-ref", "refs/heads/main", commit)
        return commit
    }

    @Test("a deleted loose blob fails only the bundle that holds it, naming bundle, path and object; a deleted tree likewise")
    func missingObjects() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for name in ["alpha", "bravo", "charlie", "delta"] { try SampleBundle.write(name, in: fixture.directory) }
        try fixture.commitAll("four bundles")
        let blob = try fixture.git("rev-parse", "HEAD:Sources/bravo/Artifacts/bravo-connectionSpec.json")
        let tree = try fixture.git("rev-parse", "HEAD:Sources/charlie/Artifacts")
        for id in [blob, tree] {
            try FileManager.default.removeItem(atPath: fixture.path + "/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        }

        let evaluated = try await evaluate(fixture)
        #expect(evaluated.count == 4)
        #expect(errors(evaluated["bravo"]) == ["unreadable-object Sources/bravo/Artifacts/bravo-connectionSpec.json"])
        let message = try #require(evaluated["bravo"]?.diagnostics.first?.description)
        #expect(message.contains("git object \(blob)"), "\(message)")
        #expect(message.contains("git fsck"), "\(message)")
        #expect(errors(evaluated["charlie"]) == ["unreadable-object Sources/charlie/Artifacts"])
        for name in ["alpha", "delta"] {
            #expect(errors(evaluated[name]).isEmpty && evaluated[name]?.isSendable == true, "\(name): \(errors(evaluated[name]))")
        }
        #expect(evaluated["bravo"]?.isSendable == false)
    }

    @Test("entries named '..', '.', '.git' and a submodule in the bundles root are bundles with an error each, never read or skipped")
    func refusedRootEntries() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try SampleBundle.write("valid", in: fixture.directory)
        let head = try fixture.commitAll("one bundle")
        let valid = try fixture.git("rev-parse", "HEAD:Sources/valid")
        try commit(fixture, sources: try mktree(fixture, [
            "040000 tree \(valid)\tvalid",
            "040000 tree \(valid)\t..",
            "040000 tree \(valid)\t.",
            "040000 tree \(valid)\t.git",
            "160000 commit \(head)\tvendored",
        ]))

        let evaluated = try await evaluate(fixture)
        #expect(Set(evaluated.keys) == ["valid", "..", ".", ".git", "vendored"])
        #expect(evaluated["valid"]?.isSendable == true)
        #expect(errors(evaluated[".."]) == ["refused-name Sources/.."])
        #expect(errors(evaluated["."]) == ["refused-name Sources/."])
        #expect(errors(evaluated[".git"]) == ["refused-name Sources/.git"])
        #expect(errors(evaluated["vendored"]) == ["gitlink Sources/vendored"])
        #expect(evaluated["vendored"]?.diagnostics.first?.message.contains("git submodule") == true)
        for name in ["..", ".", ".git", "vendored"] { #expect(evaluated[name]?.body == nil, "\(name)") }

        // A pass lists the bundles root once for the bundles and their refusals: the same findings.
        let repository = try GitRepository(path: fixture.path)
        let desired = try await DesiredStateResolver(repository: repository, layout: layout)
            .resolve(commit: try await repository.resolveCommit("HEAD"), state: nil)
        let resolved = Dictionary(uniqueKeysWithValues: desired.evaluated.map { ($0.id.source, $0) })
        #expect(Set(resolved.keys) == Set(evaluated.keys))
        for name in evaluated.keys { #expect(errors(resolved[name]) == errors(evaluated[name]), "\(name)") }
    }

    @Test("a submodule, a '..' and a name with '/' among a bundle's files fail that bundle, naming the entry")
    func refusedBundleEntries() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for name in ["valid", "sub", "dots", "slash"] { try SampleBundle.write(name, in: fixture.directory) }
        let head = try fixture.commitAll("bundles")
        func artifacts(_ name: String) throws -> [String] {
            try fixture.git("ls-tree", "HEAD:Sources/\(name)/Artifacts").split(separator: "\n").map(String.init)
        }
        // sub: its spec is a submodule; dots: an extra '..' entry beside its files.
        let sub = try artifacts("sub").filter { !$0.hasSuffix("sub-connectionSpec.json") } + ["160000 commit \(head)\tsub-connectionSpec.json"]
        let dots = try artifacts("dots") + ["040000 tree \(try fixture.git("rev-parse", "HEAD:Sources/valid/Artifacts"))\t.."]
        // slash: an entry whose name holds '/', which only a hand-made tree object can have.
        let blob = try fixture.git("rev-parse", "HEAD:Sources/slash/Artifacts/slash-label.txt")
        let treeFile = try fixture.directory.write("", to: ".slash-tree")
        var bytes = Array("100644 x/y\0".utf8)
        bytes += stride(from: 0, to: blob.count, by: 2).map { UInt8(blob.dropFirst($0).prefix(2), radix: 16)! }
        try Data(bytes).write(to: treeFile)
        let slashArtifacts = try ProcessRunner.checked(
            "sh", ["-c", "git hash-object -t tree --literally -w \(treeFile.path)"], in: fixture.url, environment: GitFixture.environment
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        func bundleTree(_ artifacts: String) throws -> String { try mktree(fixture, ["040000 tree \(artifacts)\tArtifacts"]) }
        try commit(fixture, sources: try mktree(fixture, [
            "040000 tree \(try fixture.git("rev-parse", "HEAD:Sources/valid"))\tvalid",
            "040000 tree \(try bundleTree(try mktree(fixture, sub)))\tsub",
            "040000 tree \(try bundleTree(try mktree(fixture, dots)))\tdots",
            "040000 tree \(try bundleTree(slashArtifacts))\tslash",
        ]))

        let evaluated = try await evaluate(fixture)
        #expect(evaluated["valid"]?.isSendable == true)
        #expect(errors(evaluated["sub"]) == ["gitlink Sources/sub/Artifacts/sub-connectionSpec.json"])
        #expect(errors(evaluated["dots"]) == ["refused-name Sources/dots/Artifacts/.."])
        #expect(errors(evaluated["slash"]) == ["refused-name Sources/slash/Artifacts/x/y"])
        for name in ["sub", "dots", "slash"] { #expect(evaluated[name]?.body == nil, "\(name)") }
    }
}
