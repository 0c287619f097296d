import Foundation
import SpecSyncTestSupport
import Testing

/// Item 6 of the reliability suite: the disk full (a file-size limit; a full tmpfs where this
/// process may mount) and a read-only state directory. Each gives a clear error and leaves the
/// previous state byte-identical; once the resource is back, the next run converges.
@Suite("Reliability: resources", .serialized)
struct ResourceTests {
    /// An emulator and a repository of 40 synced bundles with a pending commit (10 changed, 3 new),
    /// for the length of `body`.
    static func withPendingChanges(_ body: (EmulatorProcess, inout ReliabilityRepository) async throws -> Void) async throws {
        let emulator = try EmulatorProcess(clientSecret: "resources-\(UUID().uuidString)")
        defer { emulator.stop() }
        var repository = try ReliabilityRepository(emulator: emulator, bundles: 40)
        defer { repository.cleanUp() }
        let first = try await repository.specsync(["sync", "--once"])
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        try repository.touch(repository.sources.prefix(10), revision: 1)
        try repository.add(3)
        try repository.commit("10 changed, 3 new")
        try await body(emulator, &repository)
    }

    /// Every file of the state directory, by name (the lock excepted: it only says who runs).
    /// The state files as last written whole (and any temporary file). The journal is left out: the
    /// outcomes appended to it before the disk filled up are recorded, not lost, and
    /// `expectRecovery` reads them back through `specsync status`.
    static func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where !name.hasSuffix(".lock") && !name.hasSuffix(".journal") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        return files
    }

    /// Once the resource is back, a run converges and nothing is duplicated or lost.
    static func expectRecovery(_ emulator: EmulatorProcess, _ repository: ReliabilityRepository) async throws {
        let last = try await repository.syncUntilConverged().last
        #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
        let check = try await Convergence.check(emulator: emulator, records: try await repository.records(), descriptions: repository.descriptions)
        #expect(check.isClean, "\(check.problems.joined(separator: "\n"))")
    }

    @Test("disk full (file-size limit): a clear error, the previous state byte-identical, no temporary file left")
    func fileSizeLimit() async throws {
        try await Self.withPendingChanges { emulator, repository in
            let before = try Self.snapshot(repository.stateDirectory)
            let stateSize = try #require(before[(repository.statePath as NSString).lastPathComponent]).count
            try #require(stateSize > 16_000, "the state must be larger than the limit")
            let result = try ConfinedCommand.withFileSizeLimit(stateSize / 2, ["sync", "--once"], repository: repository)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("state file \(repository.statePath)"), "\(result.stderr)")
            #expect(result.stderr.contains("File too large"), "\(result.stderr)")
            #expect(result.stderr.contains("the previous state is unchanged; check free space"), "\(result.stderr)")
            #expect(try Self.snapshot(repository.stateDirectory) == before, "state files changed or a temporary file was left")
            try await Self.expectRecovery(emulator, repository)
        }
    }

    @Test("disk full (a full tmpfs): a clear error, the previous state byte-identical", .enabled(if: ConfinedCommand.canMount))
    func fullTmpfs() async throws {
        try await Self.withPendingChanges { emulator, repository in
            let before = try Self.snapshot(repository.stateDirectory)
            let after = try TemporaryDirectory(prefix: "specsync-full-disk")
            defer { after.remove() }
            let result = try ConfinedCommand.withFullDisk(1 << 20, ["sync", "--once"], repository: repository, copyBack: after.url)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
            #expect(result.stderr.contains("the previous state is unchanged; check free space"), "\(result.stderr)")
            #expect(try Self.snapshot(after.path) == before, "state files changed or a temporary file was left")
            #expect(try Self.snapshot(repository.stateDirectory) == before)
            try await Self.expectRecovery(emulator, repository)
        }
    }

    @Test("read-only state directory: refused before any write, the previous state byte-identical", .enabled(if: ConfinedCommand.canMount || !ConfinedCommand.isRoot))
    func readOnlyState() async throws {
        try await Self.withPendingChanges { emulator, repository in
            let before = try Self.snapshot(repository.stateDirectory)
            let writes = try await emulator.statistics().writes
            let result: ProcessResult
            if ConfinedCommand.canMount {
                result = try ConfinedCommand.withReadOnlyState(["sync", "--once"], repository: repository)
            } else {
                // Not root: the permission bits are enough.
                try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: repository.stateDirectory)
                defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repository.stateDirectory) }
                result = try await repository.specsync(["sync", "--once"])
            }
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(repository.stateDirectory), "\(result.stderr)")
            #expect(result.stderr.contains("Read-only file system") || result.stderr.contains("Permission denied"), "\(result.stderr)")
            #expect(try await emulator.statistics().writes == writes, "nothing was sent that could not be recorded")
            #expect(try Self.snapshot(repository.stateDirectory) == before)
            try await Self.expectRecovery(emulator, repository)
        }
    }
}
