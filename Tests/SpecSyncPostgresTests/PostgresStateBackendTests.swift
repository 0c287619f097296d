import Foundation
import Testing
import SpecSyncCore
import SpecSyncEngine
import SpecSyncPostgres
import SpecSyncTargets
import SpecSyncTestSupport

/// The PostgreSQL state backend against a real server (a throwaway cluster the tests start).
@Suite("PostgreSQL state backend", .enabled(if: PostgresCluster.shouldRun, Comment(rawValue: PostgresCluster.skipNote)))
struct PostgresStateBackendTests {
    let prod = TargetIdentity(name: "prod", kind: "flowService", identity: "org=o sandbox=prod")

    func remote(_ id: String) -> RemoteSpec { RemoteSpec(id: id, name: id.uppercased(), updatedAt: 1_700_000_000_000, revision: "1700000000000", document: .null) }

    func backend(_ cluster: PostgresCluster, _ database: String, target: TargetIdentity? = nil) -> PostgresStateBackend {
        var settings = PostgresStateSettings(url: cluster.url(database: database), sslMode: "disable")
        settings.password = .environment("PGTEST")
        return PostgresStateBackend(
            settings: PostgresConnectionSettings(settings, password: cluster.password, specsyncVersion: "test"), target: target ?? prod)
    }

    @Test("each outcome is committed before the call returns; a recorder opened later sees records, serial and lineage")
    func outcomesCommitted() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        let recorder = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        // Seen by another session before this one does anything else: committed, not buffered.
        #expect(try cluster.sql("SELECT record->>'id' FROM specsync_records WHERE bundle = 'a'", database: database) == "id-a")
        try await recorder.failed(bundle: BundleID("b"), renamedFrom: nil, name: "B", kind: .failed, error: "HTTP 400")
        #expect(try cluster.sql("SELECT count(*) FROM specsync_outcomes", database: database) == "2")
        try await recorder.finishPass(commit: "c1")
        let written = await recorder.state
        recorder.close()

        let reopened = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        defer { reopened.close() }
        let loaded = await reopened.state
        #expect(loaded.lineage == written.lineage)
        #expect(loaded.serial == written.serial && loaded.serial == 3)
        #expect(loaded.lastSyncedCommit == "c1")
        #expect(loaded.bundles.dictionary == written.bundles.dictionary)
        #expect(loaded.bundles.pendingKeys == [BundleID("b")])
        #expect(try cluster.sql("SELECT commit, serial FROM specsync_passes", database: database) == "c1|3")
    }

    @Test("the lock is per target: a second writer of the same target is refused naming host, pid and since; another target is not held up")
    func lockPerTarget() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        let holder = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        defer { holder.close() }
        do {
            _ = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
            Issue.record("a second writer of prod was let in")
        } catch {
            let text = "\(error)"
            #expect(text.contains("another specsync run holds the state lock (pid \(getpid()) on \(ProcessInfo.processInfo.hostName), since 20"), "\(text)")
            #expect(text.contains("PostgreSQL state of target prod at 127.0.0.1:\(cluster.port)/\(database)"), "\(text)")
            #expect(!text.contains(cluster.password))
        }
        let staging = TargetIdentity(name: "staging", kind: "flowService", identity: "org=o sandbox=staging")
        let other = try await StateRecorder.open(backend: backend(cluster, database, target: staging), for: staging)
        other.close()
    }

    @Test("a writer waiting with a lock timeout gets the lock once its holder lets go")
    func lockWaits() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        let holder = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        try await holder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        let waiter = Task { try await StateRecorder.open(backend: backend(cluster, database), for: prod, lockTimeout: .seconds(120)) }
        // The waiter is in: its session exists and tries the lock (the holder's and the waiter's sessions).
        while try cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'specsync' AND datname = '\(database)'", database: database) != "2" {
            try await Task.sleep(for: .milliseconds(50))
        }
        holder.close()
        let next = try await waiter.value
        defer { next.close() }
        #expect(await next.state[BundleID("a")]?.id == "id-a")
    }

    @Test("a database with a newer specsync schema is refused with what to do, and left alone")
    func newerSchemaRefused() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        try await StateRecorder.open(backend: backend(cluster, database), for: prod).close()
        try cluster.sql("INSERT INTO specsync_schema (version, specsync_version) VALUES (99, 'future')", database: database)
        do {
            _ = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
            Issue.record("a newer schema was used")
        } catch {
            #expect("\(error)".contains("the database has specsync schema version 99, newer than this specsync understands (1); upgrade specsync"), "\(error)")
        }
        #expect(try cluster.sql("SELECT max(version) FROM specsync_schema", database: database) == "99")
    }

    @Test("fencing: a writer whose session was terminated stops at its next write, and the next writer takes over what it recorded")
    func fencing() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        let first = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        defer { first.close() }
        try await first.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        #expect(try cluster.sql("SELECT pg_terminate_backend(backend_pid) FROM specsync_lock_holders", database: database) == "t")
        do {
            try await first.recorded(bundle: BundleID("b"), renamedFrom: nil, remote: remote("id-b"), bodyHash: "hb", specBlob: nil, commit: "c1")
            Issue.record("a writer without its session wrote")
        } catch {
            #expect("\(error)".contains("lost its database session and with it the state lock, so it stops writing"), "\(error)")
        }
        let second = try await StateRecorder.open(backend: backend(cluster, database), for: prod, lockTimeout: .seconds(30))
        defer { second.close() }
        let state = await second.state
        #expect(state[BundleID("a")]?.id == "id-a")
        #expect(state[BundleID("b")] == nil)
        #expect(try cluster.sql("SELECT count(*) FROM specsync_records WHERE bundle = 'b'", database: database) == "0")
    }

    @Test("a whole state replaced and read back keeps lineage, serial, records, pending list and registration")
    func wholeStateRoundTrip() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var pushed = SyncState(target: prod)
        pushed.serial = 41
        pushed.lastSyncedCommit = "abc"
        pushed.inputsFingerprint = "fp"
        for index in 0..<1_200 { pushed[BundleID("bundle-\(index)")] = BundleRecord(id: "id-\(index)", bodyHash: "h\(index)") }
        var failing = BundleRecord(id: "id-x", bodyHash: nil)
        failing.lastError = "HTTP 500"
        failing.consecutiveFailures = 2
        pushed[BundleID("x")] = failing
        pushed.registration = FlowSpecRegistration(mapping: "m", waiting: ["bundle-1", "x"])
        let recorder = try await StateRecorder.open(backend: backend(cluster, database), for: prod)
        try await recorder.replaced(with: pushed)
        let written = await recorder.state
        recorder.close()
        let loaded = try #require(try await backend(cluster, database).load())
        #expect(loaded.lineage == pushed.lineage && loaded.serial == written.serial && loaded.serial == 41)
        #expect(loaded.bundles.dictionary == pushed.bundles.dictionary)
        #expect(loaded.bundles.pendingKeys == pushed.bundles.pendingKeys)
        #expect(loaded.registration == pushed.registration)
        #expect(loaded.lastSyncedCommit == "abc" && loaded.inputsFingerprint == "fp")
    }
}
