import Foundation
import SpecSyncTestSupport

@testable import SpecSyncGit

/// Builders for the repositories the tests read, made with the real `git` CLI.
enum Fixtures {
    /// Writes raw bytes (for non-UTF-8 contents) at `relativePath` in the fixture.
    static func writeBytes(_ bytes: [UInt8], to relativePath: String, in fixture: GitFixture) throws {
        try fixture.directory.write(Data(bytes), to: relativePath)
    }

    static func symlink(_ relativePath: String, to destination: String, in fixture: GitFixture) throws {
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/" + relativePath, withDestinationPath: destination)
    }

    /// A repository laid out like a connector repository:
    /// README.md, link → README.md, tools/run.sh (executable), Sources/{alpha,beta}/Artifacts/…
    static func connectorRepository() throws -> GitFixture {
        let fixture = try GitFixture()
        try fixture.write("# Connectors\n", to: "README.md")
        try symlink("link", to: "README.md", in: fixture)
        try fixture.write("#!/bin/sh\necho hi\n", to: "tools/run.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/tools/run.sh")
        try fixture.write("{\"name\":\"alpha\"}\n", to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
        try fixture.write("Alpha\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        try fixture.write("{\"name\":\"beta\"}\n", to: "Sources/beta/Artifacts/beta-connectionSpec.json")
        try fixture.write("Beta\n", to: "Sources/beta/Artifacts/beta-label.txt")
        try fixture.commitAll("initial layout")
        return fixture
    }

    /// Text large enough (and distinct enough) for rename detection to score it.
    static func largeText(_ seed: String, lines: Int = 60) -> String {
        (0..<lines).map { "line \($0) of \(seed): the quick brown fox jumps over the lazy dog" }
            .joined(separator: "\n") + "\n"
    }

    static func id(_ hex: String) throws -> ObjectID {
        guard let id = ObjectID(hex: hex) else { throw FixtureError("not an object id: '\(hex)'") }
        return id
    }
}

extension GitFixture {
    /// `git rev-parse` as an ObjectID.
    func revParse(_ revision: String) throws -> ObjectID {
        try Fixtures.id(try git("rev-parse", revision))
    }
}
