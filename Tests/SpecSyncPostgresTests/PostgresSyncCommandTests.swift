import Foundation
import Testing
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import SpecSyncConfiguration
import SpecSyncJSON

/// The real `specsync` binary with `state.backend: postgres`, against the emulator and a throwaway
/// PostgreSQL cluster.
@Suite("sync and the state verbs on PostgreSQL", .serialized, .enabled(if: PostgresCluster.shouldRun, Comment(rawValue: PostgresCluster.skipNote)))
struct PostgresSyncCommandTests {
    static let secret = "emulator-secret-\(UUID().uuidString)"
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples")

    /// The example bundles with a configuration for `emulator` whose state is in `database`.
    static func repository(for emulator: FlowServiceEmulator, cluster: PostgresCluster, database: String) async throws -> GitFixture {
        let fixture = try GitFixture()
        for entry in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(entry), to: fixture.url.appendingPathComponent(entry))
        }
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 2"])
        try fixture.write("""
            state:
              backend: postgres
              postgres:
                url: \(cluster.url(database: database))
                password: {env: PGTEST_PASSWORD}
                sslmode: disable
            targets:
            """ + "\n" + target, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        return fixture
    }

    func environment(_ cluster: PostgresCluster) -> [String: String] {
        ["EMULATOR_CLIENT_SECRET": Self.secret, "PGTEST_PASSWORD": cluster.password]
    }

    func specsync(_ arguments: [String], in fixture: GitFixture, _ cluster: PostgresCluster) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: environment(cluster))
    }

    func withExamples(latency: Duration? = nil, _ body: (FlowServiceEmulator, GitFixture, PostgresCluster, String) async throws -> Void) async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        if let latency { configuration.latency = latency }
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await Self.repository(for: emulator, cluster: cluster, database: database)
            defer { fixture.cleanUp() }
            try await body(emulator, fixture, cluster, database)
        }
    }

    @Test("sync --once twice: the state is in the database, not in a file; the second run writes nothing; list, show, pull and push work on it")
    func syncTwiceAndVerbs() async throws {
        try await withExamples { emulator, fixture, cluster, database in
            let first = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let writes = await emulator.store.statistics().writes
            #expect(writes >= 3)
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"))
            #expect(try cluster.sql("SELECT count(*) FROM specsync_records WHERE state_key = 'emulator'", database: database) == "3")
            #expect(try cluster.sql("SELECT last_synced_commit IS NOT NULL FROM specsync_states", database: database) == "t")

            let second = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(second.status == 0 && second.stdout.contains("3 unchanged"), "\(second.stdout)\(second.stderr)")
            #expect(await emulator.store.statistics().writes == writes)

            let list = try await specsync(["state", "list", "--format", "json"], in: fixture, cluster)
            let records = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []
            #expect(records.count == 3 && records.allSatisfy { $0["status"] as? String == "in sync" }, "\(list.stdout)\(list.stderr)")
            let show = try await specsync(["state", "show", "acme-orders"], in: fixture, cluster)
            #expect(show.status == 0 && show.stdout.contains("in sync") && show.stdout.contains("id: "), "\(show.stdout)\(show.stderr)")

            let pulled = try await specsync(["state", "pull"], in: fixture, cluster)
            #expect(pulled.status == 0, "\(pulled.stderr)")
            let serial = try cluster.sql("SELECT serial FROM specsync_states", database: database)
            let push = try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" state push < \"$1\"", try SpecSyncBinary.path,
                                                          try fixture.directory.write(pulled.stdout, to: "pulled.json").path],
                                             in: fixture.url, environment: SpecSyncBinary.childEnvironment(environment(cluster)))
            #expect(push.status == 0 && push.stdout.contains("PostgreSQL state of target emulator"), "\(push.stdout)\(push.stderr)")
            #expect(Int(try cluster.sql("SELECT serial FROM specsync_states", database: database))! > Int(serial)!)
            let third = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(third.stdout.contains("3 unchanged"), "\(third.stdout)\(third.stderr)")
            for output in [first, second, list, show, pulled, push, third] {
                #expect(!(output.stdout + output.stderr).contains(cluster.password), "the password never shows")
            }
        }
    }

    @Test("a run while another holds the lock fails naming it; with --lock-timeout it waits and then syncs")
    func lockTimeout() async throws {
        try await withExamples { emulator, fixture, cluster, database in
            #expect(try await specsync(["sync", "--once"], in: fixture, cluster).status == 0)
            // The holder: a session of our own holding the target's advisory lock, as a running sync would.
            let key = try cluster.sql("SELECT lock_key FROM specsync_lock_holders", database: database)
            // Each -c is its own transaction: the holder row is committed before the sleep.
            let holder = try ChildProcess(
                PostgresCluster.binaryDirectory! + "/psql",
                ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", PostgresCluster.user, "-d", database, "-X", "-q",
                 "-c", "SELECT pg_advisory_lock(\(key))",
                 "-c", "UPDATE specsync_lock_holders SET host = 'ci-runner-7', pid = 4242, backend_pid = pg_backend_pid(), since = now()",
                 "-c", "SELECT pg_sleep(600)"],
                environment: ["PGPASSWORD": cluster.password])
            defer { holder.signal(SIGKILL); holder.waitUntilExit() }
            while try cluster.sql("SELECT count(*) FROM specsync_lock_holders WHERE pid = 4242", database: database) != "1" {
                try await Task.sleep(for: .milliseconds(50))
            }

            let refused = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("another specsync run holds the state lock (pid 4242 on ci-runner-7, since 20"), "\(refused.stderr)")

            let waiting = Task { try await specsync(["sync", "--once", "--lock-timeout", "2m"], in: fixture, cluster) }
            // Its session is there, trying the lock, before the holder goes.
            while try cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'specsync' AND datname = '\(database)'", database: database) != "1" {
                try await Task.sleep(for: .milliseconds(50))
            }
            // The holder's session ends (a backend inside pg_sleep would not notice its client go).
            #expect(try cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'psql' AND datname = '\(database)' AND pid <> pg_backend_pid()", database: database).contains("t"))
            let waited = try await waiting.value
            #expect(waited.status == 0 && waited.stdout.contains("3 unchanged"), "\(waited.stdout)\(waited.stderr)")
        }
    }

    @Test("a run killed mid-pass resumes from the database without duplicates or lost records")
    func killedRun() async throws {
        try await withExamples(latency: .milliseconds(150)) { emulator, fixture, cluster, database in
            for index in 0..<8 { try SampleBundle.write("extra-\(index)", in: fixture.directory) }
            try fixture.commitAll("more bundles")
            let process = try ChildProcess(
                try SpecSyncBinary.path, ["sync", "--once"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment(environment(cluster)))
            let deadline = ContinuousClock.now + .seconds(60)
            while await emulator.store.statistics().writes < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            process.signal(SIGKILL)
            await process.exited()
            #expect(process.terminationReason == .uncaughtSignal)
            let writesBeforeKill = await emulator.store.statistics().writes
            #expect(writesBeforeKill >= 3 && writesBeforeKill < 11, "killed mid-pass")

            let resumed = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(names.count == 11 && Set(names).count == 11, "no duplicates: \(names.sorted())")
            #expect(try cluster.sql("SELECT count(*) FROM specsync_records WHERE record->>'id' IS NOT NULL", database: database) == "11", "none lost")
            let again = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(again.stdout.contains("11 unchanged"), "\(again.stdout)\(again.stderr)")
        }
    }

    @Test("a run whose database session is terminated stops writing, says why, and the next run converges without duplicates")
    func terminatedSession() async throws {
        try await withExamples(latency: .milliseconds(150)) { emulator, fixture, cluster, database in
            for index in 0..<8 { try SampleBundle.write("extra-\(index)", in: fixture.directory) }
            try fixture.commitAll("more bundles")
            let run = Task { try await specsync(["sync", "--once"], in: fixture, cluster) }
            let deadline = ContinuousClock.now + .seconds(60)
            while await emulator.store.statistics().writes < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try cluster.sql("SELECT pg_terminate_backend(backend_pid) FROM specsync_lock_holders", database: database) == "t")
            let result = try await run.value
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("lost its database session and with it the state lock, so it stops writing"), "\(result.stdout)\(result.stderr)")

            let resumed = try await specsync(["sync", "--once"], in: fixture, cluster)
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(names.count == 11 && Set(names).count == 11, "no duplicates: \(names.sorted())")
        }
    }

    @Test("a wrong password is refused in words that name the server, never the password")
    func wrongPassword() async throws {
        try await withExamples { emulator, fixture, cluster, database in
            let wrong = "wrong-\(UUID().uuidString)"
            let result = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: [
                "EMULATOR_CLIENT_SECRET": Self.secret, "PGTEST_PASSWORD": wrong,
            ])
            #expect(result.status == 1)
            #expect(result.stderr.contains("PostgreSQL at 127.0.0.1:\(cluster.port)/\(database): cannot connect"), "\(result.stderr)")
            #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
            #expect(!result.stderr.contains(wrong) && !result.stdout.contains(wrong))
            #expect(await emulator.store.statistics().writes == 0)
        }
    }
}

extension PostgresSyncCommandTests {
    @Test("state migrate --to postgres and back --to file is lossless: the pulled documents are byte for byte the same, and nothing is sent again")
    func migrateBothWays() async throws {
        try await withExamples { emulator, fixture, cluster, database in
            let configuration = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            let onFile = configuration.replacingOccurrences(of: "  backend: postgres\n", with: "")
            try fixture.write(onFile, to: "specsync.yaml")
            #expect(try await specsync(["sync", "--once"], in: fixture, cluster).status == 0)
            let writes = await emulator.store.statistics().writes
            let fromFile = try await specsync(["state", "pull"], in: fixture, cluster)
            #expect(fromFile.status == 0 && fromFile.stdout.contains("\"lineage\""), "\(fromFile.stderr)")

            let migrated = try await specsync(["state", "migrate", "--to", "postgres"], in: fixture, cluster)
            #expect(migrated.status == 0 && migrated.stdout.contains("Migrated the state of 3 bundles from the state file"), "\(migrated.stdout)\(migrated.stderr)")
            let again = try await specsync(["state", "migrate", "--to", "postgres"], in: fixture, cluster)
            #expect(again.status == 1 && again.stderr.contains("already holds a state"), "\(again.stdout)\(again.stderr)")

            try fixture.write(configuration, to: "specsync.yaml")
            let fromDatabase = try await specsync(["state", "pull"], in: fixture, cluster)
            #expect(fromDatabase.stdout == fromFile.stdout, "lossless into PostgreSQL")
            let synced = try await specsync(["sync", "--once"], in: fixture, cluster)
            let writesAfter = await emulator.store.statistics().writes
            #expect(synced.stdout.contains("3 unchanged") && writesAfter == writes, "\(synced.stdout)\(synced.stderr)")

            try FileManager.default.removeItem(at: fixture.url.appendingPathComponent(".specsync"))
            let back = try await specsync(["state", "migrate", "--to", "file"], in: fixture, cluster)
            #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
            let databaseNow = try await specsync(["state", "pull"], in: fixture, cluster)
            try fixture.write(onFile, to: "specsync.yaml")
            let fileNow = try await specsync(["state", "pull"], in: fixture, cluster)
            #expect(fileNow.stdout == databaseNow.stdout, "lossless back into the file")
            #expect(try cluster.sql("SELECT count(*) FROM specsync_states", database: database) == "1")
        }
    }
}

/// `state.backend` and `state.postgres` in the configuration, and the deploy example.
@Suite("PostgreSQL state configuration")
struct PostgresStateConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func load(_ yaml: String) throws -> Configuration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(yaml, to: "specsync.yaml").path
        return try ConfigurationLoader(environment: [:], currentDirectory: directory.path).load(path: path)
    }

    @Test("the two-hosts example in deploy/postgres loads with its database, password credential and TLS")
    func deployExample() throws {
        let path = Self.root.appendingPathComponent("deploy/postgres/specsync.yaml").path
        let configuration = try ConfigurationLoader(environment: [:], currentDirectory: "/").load(path: path)
        #expect(configuration.state.backend == .postgres)
        #expect(configuration.state.postgres?.server == "db.example.com:5432/specsync")
        #expect(configuration.state.postgres?.password == .credential("postgres-password"))
        #expect(configuration.state.postgres?.sslMode == "verify-full")
    }

    @Test("refused in words: a password in the URL, an unknown sslmode, postgres without its settings")
    func refusals() throws {
        #expect(throws: ConfigurationError.self) { try load("state:\n  backend: postgres\n") }
        do { _ = try load("state:\n  postgres:\n    url: postgres://u:hunter2@h/db\n"); Issue.record("accepted") } catch {
            #expect("\(error)".contains("holds a password: remove it from the URL"), "\(error)")
        }
        do { _ = try load("state:\n  postgres:\n    url: postgres://u@h/db\n    sslmode: sometimes\n"); Issue.record("accepted") } catch {
            #expect("\(error)".contains("must be one of disable, allow, prefer, require, verify-ca, verify-full"), "\(error)")
        }
        #expect(try load("state:\n  directory: s\n").state.backend == .file)
    }
}
