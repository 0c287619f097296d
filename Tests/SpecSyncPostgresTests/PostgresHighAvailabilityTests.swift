import Foundation
import Testing
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport

/// Several real `specsync sync` daemons against one throwaway cluster and the emulator: one leads,
/// the others stand by, and a standby takes over when the leader dies or loses its session.
@Suite("leader and standbys on PostgreSQL", .serialized, .enabled(if: PostgresCluster.shouldRun, Comment(rawValue: PostgresCluster.skipNote)))
struct PostgresHighAvailabilityTests {
    static let webhookSecret = "webhook-secret-\(UUID().uuidString)"
    /// The issue's acceptance bound for a standby to lead.
    static let failoverBound: Duration = .seconds(10)

    /// One daemon process with its log and its HTTP port.
    final class Daemon: @unchecked Sendable {
        let name: String
        let process: ChildProcess
        let port: Int
        let log: URL

        init(_ name: String, fixture: GitFixture, cluster: PostgresCluster) throws {
            self.name = name
            port = try SSHServer.freePortNumber()
            log = fixture.directory.url.appendingPathComponent("daemon-\(name).log")
            process = try ChildProcess(
                try SpecSyncBinary.path, ["sync", "--config", fixture.path + "/specsync.yaml"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment([
                    "EMULATOR_CLIENT_SECRET": PostgresSyncCommandTests.secret, "PGTEST_PASSWORD": cluster.password,
                    "WEBHOOK_SECRET": PostgresHighAvailabilityTests.webhookSecret, "SPECSYNC_DAEMON_HTTP_PORT": String(port),
                ]),
                standardOutput: .file(log.path, append: true), standardError: .file(log.path, append: true))
        }

        var pid: Int32 { process.processIdentifier }
        var text: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func kill() {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }

        /// `METHOD path` on the daemon's endpoints: status and body, or nil when it does not answer.
        func request(_ method: String = "GET", _ path: String, body: String = "", signed: Bool = false) async -> (status: Int, body: String)? {
            let port = port
            let output = try? await BlockingWork.run {
                try ProcessRunner.run("python3", ["-c", """
                    import hashlib, hmac, sys, urllib.request, urllib.error
                    method, url, body, secret = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4]
                    headers = {"Content-Type": "application/json", "X-GitHub-Event": "push"}
                    if secret:
                        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                    request = urllib.request.Request(url, data=body if method == "POST" else None, headers=headers, method=method)
                    try:
                        r = urllib.request.urlopen(request, timeout=5); print(r.status); print(r.read().decode())
                    except urllib.error.HTTPError as e:
                        print(e.code); print(e.read().decode())
                    """, method, "http://127.0.0.1:\(port)\(path)", body, signed ? PostgresHighAvailabilityTests.webhookSecret : ""]).stdout
            }
            guard let output, let newline = output.firstIndex(of: "\n"), let status = Int(output[..<newline]) else { return nil }
            return (status, String(output[output.index(after: newline)...]))
        }

        /// What `/readyz` says this instance is: "leader", "standby", or nil (not answering, not yet
        /// known). A leader is unready (503) until its first pass ends; a standby is ready.
        func role() async -> String? {
            guard let ready = await request("GET", "/readyz"),
                  let json = try? JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any] else { return nil }
            return json["role"] as? String
        }

        func metric(_ name: String, _ labels: [String: String] = [:]) async -> Double? {
            guard let metrics = await request("GET", "/metrics") else { return nil }
            return try? PrometheusExposition(metrics.body).value(name, labels)
        }
    }

    /// The example bundles and `extra` more, a daemon configuration with the endpoints and a
    /// webhook secret; `poll` is how often the leader re-reads the ref (polled, not watched with
    /// inotify, so that a long interval leaves only forwarded triggers to start a pass).
    static func repository(
        _ emulator: FlowServiceEmulator, cluster: PostgresCluster, database: String, extra: Int, poll: String = "200ms"
    ) async throws -> GitFixture {
        let fixture = try await PostgresSyncCommandTests.repository(for: emulator, cluster: cluster, database: database)
        for index in 0..<extra {
            try SampleBundle.write(String(format: "bulk-%03d", index), in: fixture.directory)
        }
        let yaml = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
        try fixture.write(yaml + """
            daemon:
              watch: poll
              pollInterval: \(poll)
              drift:
                interval: off
              http:
                webhookSecret: {env: WEBHOOK_SECRET}

            """, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\ndaemon-*.log\n", to: ".gitignore")
        try fixture.commitAll("bulk bundles")
        return fixture
    }

    /// Waits up to `limit` for `condition`; false when it never held.
    static func eventually(_ limit: Duration = .seconds(90), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    static func sql(_ cluster: PostgresCluster, _ statement: String, _ database: String) async -> String {
        (try? await BlockingWork.run { try cluster.sql(statement, database: database) }) ?? ""
    }

    /// Every bundle created exactly once at the emulator and recorded with the id it has there.
    static func expectConverged(_ emulator: FlowServiceEmulator, cluster: PostgresCluster, database: String, bundles: Int) async {
        let catalogue = Set(await emulator.store.catalogueSpecs().compactMap { $0.objectValue?["id"]?.stringValue })
        let managed = await emulator.store.connectionSpecs().compactMap(\.objectValue).filter { !catalogue.contains($0["id"]?.stringValue ?? "") }
        let names = managed.compactMap { $0["name"]?.stringValue }
        #expect(managed.count == bundles, "specs at the emulator: \(managed.count), bundles: \(bundles)")
        #expect(Set(names).count == names.count, "duplicate specs: \(names.count - Set(names).count)")
        let recorded = await sql(cluster, "SELECT record->>'id' FROM specsync_records WHERE state_key = 'emulator' AND record->>'bodyHash' IS NOT NULL", database)
        let ids = Set(recorded.split(separator: "\n").map(String.init))
        #expect(ids == Set(managed.compactMap { $0["id"]?.stringValue }), "records: \(ids.count); lost or wrong: \(ids.symmetricDifference(Set(managed.compactMap { $0["id"]?.stringValue })).count)")
    }

    @Test("the leader is killed (SIGKILL) mid-pass: the standby leads within 10 s and finishes the pass, with no duplicate and no lost record")
    func standbyTakesOverFromKilledLeader() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = PostgresSyncCommandTests.secret
        configuration.latency = .milliseconds(400)
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await Self.repository(emulator, cluster: cluster, database: database, extra: 40)
            defer { fixture.cleanUp() }
            let first = try Daemon("a", fixture: fixture, cluster: cluster)
            defer { first.kill() }
            #expect(await Self.eventually { await first.role() == "leader" }, "\(first.text)")
            let second = try Daemon("b", fixture: fixture, cluster: cluster)
            defer { second.kill() }
            #expect(await Self.eventually { await second.role() == "standby" }, "\(second.text)")
            #expect(await second.request("GET", "/readyz")?.status == 200, "a standby is ready")
            #expect(await second.metric("specsync_leader") == 0)
            #expect(await first.metric("specsync_leader") == 1)

            // Mid-pass: some specs written, most not.
            #expect(await Self.eventually { await emulator.store.statistics().writes >= 5 })
            let writtenBeforeKill = await emulator.store.statistics().writes
            first.kill()
            let killed = ContinuousClock.now
            #expect(writtenBeforeKill < 43, "the pass was over before the kill: \(writtenBeforeKill) writes")

            #expect(await Self.eventually(.seconds(30)) { await second.role() == "leader" }, "\(second.text)")
            let failover = ContinuousClock.now - killed
            print("failover after SIGKILL of the leader: \(failover)")
            #expect(failover <= Self.failoverBound, "the standby led after \(failover)")
            #expect(await Self.eventually {
                (await second.metric("specsync_passes_total", ["result": "success"]) ?? 0) >= 1
            }, "\(second.text)")
            await Self.expectConverged(emulator, cluster: cluster, database: database, bundles: 43)
            #expect(second.text.contains("leading: took the state lock"), "\(second.text)")
            #expect(!first.text.contains(cluster.password) && !second.text.contains(cluster.password))
        }
    }

    @Test("the leader's session is terminated (pg_terminate_backend): it stops writing and stands by, the other leads and syncs the next commit")
    func terminatedLeaderStandsBy() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = PostgresSyncCommandTests.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await Self.repository(emulator, cluster: cluster, database: database, extra: 0)
            defer { fixture.cleanUp() }
            let first = try Daemon("a", fixture: fixture, cluster: cluster)
            defer { first.kill() }
            #expect(await Self.eventually { (await first.metric("specsync_passes_total", ["result": "success"]) ?? 0) >= 1 }, "\(first.text)")
            let second = try Daemon("b", fixture: fixture, cluster: cluster)
            defer { second.kill() }
            #expect(await Self.eventually { await second.role() == "standby" }, "\(second.text)")

            let terminated = await Self.sql(cluster, "SELECT pg_terminate_backend(backend_pid) FROM specsync_lock_holders WHERE pid = \(first.pid)", database)
            #expect(terminated == "t")
            let since = await Self.sql(cluster, "SELECT now()", database)
            let started = ContinuousClock.now
            #expect(await Self.eventually(.seconds(30)) { await second.role() == "leader" }, "\(second.text)")
            let failover = ContinuousClock.now - started
            print("failover after pg_terminate_backend of the leader's session: \(failover)")
            #expect(failover <= Self.failoverBound, "the standby led after \(failover)")
            #expect(await Self.eventually { await first.role() == "standby" }, "\(first.text)")
            #expect(first.process.isRunning, "the fenced leader exited: \(first.text)")
            #expect(await first.metric("specsync_leader") == 0)
            #expect(first.text.contains("the state lock was lost with its database session"), "\(first.text)")

            try fixture.write("ACME orders, renamed\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel acme-orders")
            let recordedBySecond = await Self.eventually {
                let outcomes = await Self.sql(cluster, "SELECT count(*) FROM specsync_outcomes WHERE pid = \(second.pid)", database)
                let passes = await second.metric("specsync_passes_total", ["result": "success"]) ?? 0
                return outcomes != "0" && passes >= 2
            }
            #expect(recordedBySecond, "\(second.text)")
            #expect(await Self.eventually {
                await emulator.store.connectionSpecs().contains { "\($0)".contains("ACME orders, renamed") }
            })
            // Fenced: nothing recorded by the old leader after its session ended.
            #expect(await Self.sql(cluster, "SELECT count(*) FROM specsync_outcomes WHERE pid = \(first.pid) AND recorded_at > '\(since)'", database) == "0")
            await Self.expectConverged(emulator, cluster: cluster, database: database, bundles: 3)
        }
    }

    @Test("a webhook and SIGHUP on the standby make the leader run a pass (forwarded through LISTEN/NOTIFY)")
    func standbyForwardsTriggers() async throws {
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = PostgresSyncCommandTests.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            // The leader does not watch the ref in this test's time: only a trigger makes it sync.
            let fixture = try await Self.repository(emulator, cluster: cluster, database: database, extra: 0, poll: "1h")
            defer { fixture.cleanUp() }
            let leader = try Daemon("a", fixture: fixture, cluster: cluster)
            defer { leader.kill() }
            #expect(await Self.eventually { (await leader.metric("specsync_passes_total", ["result": "success"]) ?? 0) >= 1 }, "\(leader.text)")
            let standby = try Daemon("b", fixture: fixture, cluster: cluster)
            defer { standby.kill() }
            #expect(await Self.eventually { await standby.role() == "standby" }, "\(standby.text)")
            // The leader listens before its first pass ends; give the standby's log a moment to settle.
            let writes = await emulator.store.statistics().writes

            try fixture.write("ACME orders, by webhook\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel acme-orders")
            let hook = await standby.request("POST", "/hooks/git", body: #"{"ref":"refs/heads/main"}"#, signed: true)
            #expect(hook.map { (200..<300).contains($0.status) } == true, "\(String(describing: hook))")
            #expect(await Self.eventually(.seconds(30)) {
                await emulator.store.connectionSpecs().contains { "\($0)".contains("ACME orders, by webhook") }
            }, "leader: \(leader.text)\nstandby: \(standby.text)")
            #expect(await emulator.store.statistics().writes > writes)
            #expect(leader.text.contains("trigger received from a standby"), "\(leader.text)")
            #expect(standby.text.contains("trigger forwarded to the leader"), "\(standby.text)")

            try fixture.write("ACME orders, by SIGHUP\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel acme-orders again")
            standby.process.signal(SIGHUP)
            #expect(await Self.eventually(.seconds(30)) {
                await emulator.store.connectionSpecs().contains { "\($0)".contains("ACME orders, by SIGHUP") }
            }, "leader: \(leader.text)\nstandby: \(standby.text)")
            let role = await standby.role()
            #expect(standby.process.isRunning && role == "standby")
        }
    }

    /// Trials per way for `Tests/Reliability/failover.sh`; nil (the default) skips the measurement.
    static let trials = ProcessInfo.processInfo.environment["SPECSYNC_FAILOVER_TRIALS"].flatMap(Int.init)

    @Test("failover times, SIGKILL of the leader and pg_terminate_backend of its session (Tests/Reliability/failover.sh)",
          .enabled(if: trials != nil && PostgresCluster.shouldRun))
    func measureFailover() async throws {
        let trials = Self.trials ?? 5
        let cluster = try await PostgresCluster.shared()
        let database = try cluster.makeDatabase()
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = PostgresSyncCommandTests.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await Self.repository(emulator, cluster: cluster, database: database, extra: 0)
            defer { fixture.cleanUp() }
            var daemons = [try Daemon("a", fixture: fixture, cluster: cluster)]
            defer { for daemon in daemons { daemon.kill() } }
            #expect(await Self.eventually { await daemons[0].role() == "leader" })
            daemons.append(try Daemon("b", fixture: fixture, cluster: cluster))
            #expect(await Self.eventually { await daemons[1].role() == "standby" })
            var figures: [String: [Double]] = ["sigkill": [], "terminate": []]
            for way in ["sigkill", "terminate"] {
                for trial in 0..<trials {
                    guard let leader = await daemons.asyncFirst(where: { await $0.role() == "leader" }),
                          let standby = daemons.first(where: { $0 !== leader }) else {
                        Issue.record("no leader before trial \(trial) of \(way)")
                        return
                    }
                    let started = ContinuousClock.now
                    if way == "sigkill" {
                        leader.kill()
                    } else {
                        _ = await Self.sql(cluster, "SELECT pg_terminate_backend(backend_pid) FROM specsync_lock_holders WHERE pid = \(leader.pid)", database)
                    }
                    // Led again: a daemon other than the old leader's session holds the lock and says so.
                    let led = await Self.eventually(.seconds(60)) {
                        if await standby.role() == "leader" { return true }
                        // Terminated, the old leader may win the lock back in a new session.
                        guard way == "terminate", await leader.role() == "leader" else { return false }
                        return await Self.sql(cluster, "SELECT count(*) FROM specsync_lock_holders h JOIN pg_locks l ON l.pid = h.backend_pid AND l.locktype = 'advisory' AND l.granted", database) == "1"
                    }
                    let seconds = (ContinuousClock.now - started).seconds
                    #expect(led, "\(way) trial \(trial) did not fail over")
                    figures[way]?.append(seconds)
                    print("failover \(way) trial \(trial + 1): \(String(format: "%.2f", seconds)) s")
                    if way == "sigkill" {
                        daemons.removeAll { $0 === leader }
                        daemons.append(try Daemon("\(way)-\(trial)", fixture: fixture, cluster: cluster))
                    }
                    // Both daemons up again, one leading, one standing by, before the next trial.
                    #expect(await Self.eventually {
                        let roles = await daemons.asyncMap { await $0.role() }
                        return roles.filter { $0 == "leader" }.count == 1 && roles.filter { $0 == "standby" }.count == 1
                    })
                }
            }
            let directory = ProcessInfo.processInfo.environment["SPECSYNC_FAILOVER_RESULTS"] ?? NSTemporaryDirectory()
            let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
            try json.write(to: URL(fileURLWithPath: directory).appendingPathComponent("failover.json"))
            for (way, times) in figures.sorted(by: { $0.key < $1.key }) {
                print("failover \(way): \(times.map { String(format: "%.2f", $0) }.joined(separator: ", ")) s (max \(String(format: "%.2f", times.max() ?? 0)))")
            }
        }
    }
}

extension Sequence {
    func asyncFirst(where predicate: (Element) async -> Bool) async -> Element? {
        for element in self where await predicate(element) { return element }
        return nil
    }

    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
