import Foundation
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// How the daemon learns of a commit to a local repository: inotify, or polling as the fallback.
@Suite("specsync sync (service): watching a local repository", .serialized)
struct DaemonRefWatchTests {
    /// A daemon over a local repository of two bundles; `daemon` replaces the harness's poll interval line.
    func withDaemon(daemon: String, _ body: (DaemonHarness) async throws -> Void) async throws {
        try await DaemonHarness.withLocalRepository(configuration: { emulator, fixture, port in
            try await DaemonHarness.configuration(emulator: emulator, repository: "  path: \(fixture.path)", httpPort: port)
                .replacingOccurrences(of: "  pollInterval: 200ms", with: daemon)
        }, body)
    }

    /// Commits gamma and waits (at most 90 s) for it to be live.
    func commitGoesLive(_ harness: DaemonHarness) async throws {
        try await harness.waitUntil("the first pass") { await harness.isReady() }
        #expect(await harness.specNames() == ["alpha source", "beta source"])
        try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
        try harness.fixture.commitAll("add gamma")
        try await harness.waitUntil("gamma to go live") { await harness.specNames().contains("gamma source") }
    }

    @Test("with the poll interval an hour, a commit still starts a pass: inotify saw the ref change")
    func inotifyTriggersAPass() async throws {
        try await withDaemon(daemon: "  pollInterval: 1h") { harness in
            try await commitGoesLive(harness)
            #expect(harness.log.contains("watching the refs with inotify"), "\(harness.log.suffix(3000))")
            #expect(!harness.log.contains("polling the ref instead"), "\(harness.log.suffix(3000))")
        }
    }

    @Test("a commit on a branch nested in folders (team/release) is seen")
    func nestedBranch() async throws {
        try await withDaemon(daemon: "  pollInterval: 1h") { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            // Checked out after the daemon started: refs/heads/team/ is a directory it has not seen.
            try harness.fixture.git("checkout", "-q", "-b", "team/release")
            try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
            try harness.fixture.commitAll("add gamma on team/release")
            // The daemon follows HEAD (the default ref), which now names team/release.
            try await harness.waitUntil("gamma to go live") { await harness.specNames().contains("gamma source") }
        }
    }

    @Test("daemon.watch: poll re-reads the ref every pollInterval, with no inotify watch")
    func pollingFallback() async throws {
        try await withDaemon(daemon: "  watch: poll\n  pollInterval: 200ms") { harness in
            try await commitGoesLive(harness)
            #expect(!harness.log.contains("watching the refs with inotify"), "\(harness.log.suffix(3000))")
        }
    }
}
