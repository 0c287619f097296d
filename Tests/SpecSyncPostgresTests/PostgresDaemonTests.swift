import Foundation
import Testing
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport

/// The `specsync sync` daemon with its state on PostgreSQL.
@Suite("the daemon on PostgreSQL", .serialized, .enabled(if: PostgresCluster.shouldRun, Comment(rawValue: PostgresCluster.skipNote)))
struct PostgresDaemonTests {
    @Test("a lone daemon whose database session is terminated stops writing, takes the lock again in a new session and syncs the next commit")
    func fencedDaemonLeadsAgain() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = PostgresSyncCommandTests.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await PostgresSyncCommandTests.repository(for: emulator, cluster: cluster, database: database)
            defer { fixture.cleanUp() }
            let yaml = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            try fixture.write(yaml + "daemon:\n  pollInterval: 200ms\n  drift:\n    interval: off\n  http:\n    enabled: false\n", to: "specsync.yaml")
            let log = fixture.directory.url.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(
                try SpecSyncBinary.path, ["sync", "--config", fixture.path + "/specsync.yaml"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment([
                    "EMULATOR_CLIENT_SECRET": PostgresSyncCommandTests.secret, "PGTEST_PASSWORD": cluster.password,
                ]),
                standardOutput: .file(log.path, append: true), standardError: .file(log.path, append: true))
            defer { daemon.signal(SIGKILL); daemon.waitUntilExit() }
            func text() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

            let deadline = ContinuousClock.now + .seconds(90)
            // The tables exist once the daemon connected and migrated.
            while (try? cluster.sql("SELECT count(*) FROM specsync_records", database: database)) != "3" {
                guard ContinuousClock.now < deadline, daemon.isRunning else { Issue.record("no first pass: \(text())"); return }
                try await Task.sleep(for: .milliseconds(100))
            }
            let session = try cluster.sql("SELECT backend_pid FROM specsync_lock_holders", database: database)
            #expect(try cluster.sql("SELECT pg_terminate_backend(backend_pid) FROM specsync_lock_holders", database: database) == "t")
            try fixture.write("ACME orders, renamed\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel acme-orders")

            let syncDeadline = ContinuousClock.now + .seconds(60)
            while await !emulator.store.connectionSpecs().contains(where: { "\($0)".contains("ACME orders, renamed") }) {
                guard ContinuousClock.now < syncDeadline, daemon.isRunning else { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(daemon.isRunning, "the fenced daemon exited: \(text())")
            #expect(await emulator.store.connectionSpecs().contains(where: { "\($0)".contains("ACME orders, renamed") }), "\(text())")
            #expect(text().contains("the state lock was lost with its database session"), "\(text())")
            let holder = try cluster.sql("SELECT backend_pid FROM specsync_lock_holders", database: database)
            #expect(!holder.isEmpty && holder != session, "the lock is held in a new session")
            #expect(!text().contains(cluster.password))
        }
    }
}
