import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncTestSupport
import Testing

/// The unit's `ProcSubset=pid` leaves only process folders in /proc. The real binary runs here in a
/// mount namespace of its own with /proc mounted `subset=pid`, as systemd mounts it for the service.
@Suite("ProcSubset=pid", .serialized)
struct ProcSubsetTests {
    static let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var runnable: Bool { getuid() == 0 && unshare != nil }

    /// Runs the binary with a /proc that shows processes only; the wrapper first proves it does.
    func confined(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        let tool = try #require(Self.unshare)
        let wrapper = "mount -t proc -o subset=pid proc /proc && test ! -e /proc/meminfo && test -e /proc/self/status "
            + "|| { echo 'could not mount /proc with subset=pid' >&2; exit 99; }; exec \"$@\""
        let binary = try SpecSyncBinary.path
        let environment = SpecSyncBinary.childEnvironment(["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
        return try await BlockingWork.run {
            try ProcessRunner.run(tool, ["--mount", "--propagation", "private", "--fork", "/bin/sh", "-c", wrapper, "sh", binary] + arguments,
                                  in: fixture.url, environment: environment)
        }
    }

    @Test("sync --once and check work with /proc limited to processes",
          .enabled(if: runnable, "needs root and unshare(1) to mount a procfs with subset=pid"))
    func syncAndCheck() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let sync = try await confined(["sync", "--once", "--format", "json"], in: fixture)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as? [String: Any]
            #expect((report?["created"] as? [String])?.count == 3, "\(sync.stdout)")
            #expect(await emulator.store.statistics().count("POST", "connectionSpecs", 201) == 3)

            let check = try await confined(["check"], in: fixture)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("0 failed"), "\(check.stdout)")
        }
    }
}
