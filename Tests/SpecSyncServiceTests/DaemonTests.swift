import Crypto
import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// `specsync sync` as a service: the real binary as a child process against the emulator.
@Suite("specsync sync (service)", .serialized)
struct DaemonTests {
    /// Runs a daemon over a local repository of `bundles`; `repository` overrides the repository section.
    func withDaemon(
        bundles: [String] = ["alpha", "beta"], emulatorConfiguration: EmulatorConfiguration = EmulatorConfiguration(),
        repository: ((GitFixture) -> String)? = nil, extraDaemon: String = "", drift: String? = nil, fileLimit: Int? = nil,
        _ body: (DaemonHarness) async throws -> Void
    ) async throws {
        try await DaemonHarness.withLocalRepository(bundles: bundles, emulator: emulatorConfiguration, fileLimit: fileLimit, configuration: { emulator, fixture, port in
            let section = repository?(fixture) ?? "  path: \(fixture.path)"
            let text = try await DaemonHarness.configuration(emulator: emulator, repository: section, httpPort: port, extraDaemon: extraDaemon)
            return drift.map { text.replacingOccurrences(of: "  drift:\n    interval: off", with: $0) } ?? text
        }, body)
    }

    @Test("a commit to the watched repository is live within 2 s; the daemon reports to systemd and serves metrics")
    func commitGoesLive() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            #expect(await harness.specNames() == ["alpha source", "beta source"])
            let messages = harness.notify.receive()
            #expect(messages.contains { $0.contains("READY=1") }, "\(messages)")
            #expect(messages.contains { $0.contains("STATUS=synced ") }, "\(messages)")

            try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
            try harness.fixture.commitAll("add gamma")
            let latency = try await harness.waitUntil("gamma to go live") { await harness.specNames().contains("gamma source") }
            #expect(latency < .seconds(2), "took \(latency)")

            // The spec is live before the pass ends; its metrics follow when the pass is recorded.
            try await harness.waitUntil("the second pass in the metrics") {
                (try PrometheusExposition(try await harness.get("/metrics").body).value("specsync_passes_total", ["result": "success"]) ?? 0) >= 2
            }
            let metrics = try await harness.get("/metrics")
            #expect(metrics.status == 200)
            let samples = try PrometheusExposition(metrics.body)
            #expect(samples.value("specsync_http_requests_total", ["code": "201", "method": "POST", "target": "flowService"]) == 3)
            #expect((samples.value("specsync_last_success_timestamp_seconds") ?? 0) > Date().timeIntervalSince1970 - 60)
            #expect(samples.value("specsync_bundles", ["status": "in_sync"]) == 3)
            #expect(samples.value("specsync_bundles", ["status": "failed"]) == 0)
            #expect(try await harness.get("/healthz").status == 200)
        }
    }

    @Test("the daemon loads FoundationEssentials only: not Foundation, FoundationInternationalization or ICU")
    func loadsNoFullFoundation() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            // /proc files report no size: read to the end rather than trusting one.
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(harness.process.processIdentifier)/maps"))
            defer { try? handle.close() }
            let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
            // "address perms offset device inode /path": the file name of each mapped path.
            let libraries = Set(maps.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 6, fields[5].hasPrefix("/") else { return nil }
                return fields[5].split(separator: "/").last.map(String.init)
            })
            // What a pass needs is mapped, so the list is the daemon's own.
            #expect(libraries.contains("libFoundationEssentials.so"), "\(libraries.sorted())")
            #expect(libraries.contains { $0.hasPrefix("libgit2.so") }, "\(libraries.sorted())")
            #expect(libraries.contains { $0.hasPrefix("libyaml-0.so") }, "\(libraries.sorted())")
            for library in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
                #expect(!libraries.contains(library), "\(library) is loaded: 8.6 MB of resident memory an idle daemon should not pay")
            }
        }
    }

    @Test("a signed webhook triggers a fetch and a pass; an unsigned one is refused")
    func webhook() async throws {
        try await withDaemon(repository: { fixture in "  url: file://\(fixture.path)\n  ref: origin/main" },
                             extraDaemon: "  fetchInterval: 1h") { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            #expect(await harness.specNames() == ["alpha source", "beta source"])
            try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
            try harness.fixture.commitAll("add gamma")

            let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
            let unsigned = try await harness.request("POST", "/hooks/git", headers: [("X-GitHub-Event", "push")], body: body)
            #expect(unsigned.status == 401)
            let forged = try await harness.request("POST", "/hooks/git", headers: [("X-Hub-Signature-256", "sha256=" + String(repeating: "0", count: 64))], body: body)
            #expect(forged.status == 401)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await harness.specNames() == ["alpha source", "beta source"], "a refused hook starts nothing (fetch interval is 1 h)")

            let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(DaemonHarness.webhookSecret.utf8)))
            let signature = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            let signed = try await harness.request("POST", "/hooks/git", headers: [("X-Hub-Signature-256", signature)], body: body)
            #expect(signed.status == 202)
            try await harness.waitUntil("gamma after the webhook") { await harness.specNames().contains("gamma source") }
            #expect(!harness.log.contains(DaemonHarness.webhookSecret))
            #expect(!harness.log.contains(DaemonHarness.secret))
        }
    }

    @Test("a remote served by git daemon is cloned and fetched on its interval")
    func gitDaemonRemote() async throws {
        let port = try freeLoopbackPort()
        var gitDaemon: ChildProcess?
        // git-daemon itself, not `git daemon`: the `git` wrapper runs it as a child of its own, which
        // SIGKILL to the wrapper left running after every test run.
        let gitExecPath = try ProcessRunner.checked("git", ["--exec-path"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await withDaemon(repository: { fixture in
            gitDaemon = try? ChildProcess(
                gitExecPath + "/git-daemon", ["--export-all", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)",
                        "--base-path=\(fixture.url.deletingLastPathComponent().path)", fixture.url.deletingLastPathComponent().path])
            Thread.sleep(forTimeInterval: 0.5)
            return "  url: git://127.0.0.1:\(port)/\(fixture.url.lastPathComponent)\n  ref: origin/main"
        }, extraDaemon: "  fetchInterval: 300ms") { harness in
            defer { gitDaemon?.signal(SIGKILL); gitDaemon?.waitUntilExit() }
            try await harness.waitUntil("the first pass over git://") { await harness.isReady() }
            #expect(await harness.specNames() == ["alpha source", "beta source"])
            try harness.fixture.write("beta, fetched\n", to: "Sources/beta/Artifacts/beta-label.txt")
            try harness.fixture.write(SampleBundle.spec(name: "beta source", path: "/v2/beta"), to: "Sources/beta/Artifacts/beta-connectionSpec.json")
            try harness.fixture.commitAll("edit beta")
            try await harness.waitUntil("beta's update fetched") {
                await harness.emulator.store.connectionSpecs(named: "beta source").first?[JSONPointer("/sourceSpec/attributes/urlParams/path")] == .string("/v2/beta")
            }
            #expect(FileManager.default.fileExists(atPath: harness.work.path + "/state/repository.git/HEAD"))
        }
    }

    @Test("SIGHUP reloads the configuration and starts a pass")
    func reload() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            let before = try PrometheusExposition(try await harness.get("/metrics").body).value("specsync_passes_total", ["result": "success"]) ?? 0
            _ = harness.notify.receive()
            harness.signal(SIGHUP)
            try await harness.waitUntil("a pass after SIGHUP") {
                (try PrometheusExposition(try await harness.get("/metrics").body).value("specsync_passes_total", ["result": "success"]) ?? 0) > before
            }
            let messages = harness.notify.receive()
            #expect(messages.contains { $0.contains("RELOADING=1") }, "\(messages)")
            #expect(messages.contains { $0.contains("READY=1") }, "\(messages)")
            #expect(harness.log.contains("reloading the configuration"))
        }
    }

    @Test("SIGTERM mid-pass finishes the write in flight, records it and exits 0; the state stays consistent")
    func sigtermMidPass() async throws {
        var configuration = EmulatorConfiguration()
        configuration.latency = .milliseconds(250)
        let bundles = (0..<8).map { "bundle-\($0)" }
        try await withDaemon(bundles: bundles, emulatorConfiguration: configuration) { harness in
            try await harness.waitUntil("two writes") { await harness.emulator.store.statistics().writes >= 2 }
            harness.signal(SIGTERM)
            let status = try await harness.waitForExit()
            #expect(status == 0, "\(harness.log.suffix(3000))")
            let stored = await harness.emulator.store.connectionSpecs()
            #expect(stored.count < bundles.count, "stopped before the end")
            let state = try #require(try StateStore(path: harness.stateFile).load())
            // Every spec that exists is recorded with the server's updatedAt, and nothing else is.
            let recorded = state.bundles.values.compactMap(\.id)
            #expect(Set(recorded) == Set(stored.compactMap { $0[JSONPointer("/id")]?.stringValue }))
            for record in state.bundles.values where record.id != nil {
                let remote = stored.first { $0[JSONPointer("/id")]?.stringValue == record.id }
                #expect(remote.flatMap { if case .number(let n)? = $0[JSONPointer("/updatedAt")] { Int64(n) } else { nil } } == record.updatedAt)
            }
            #expect(state.lastSyncedCommit == nil, "an interrupted pass does not move the diff base")
            #expect(harness.notify.receive().contains { $0.contains("STOPPING=1") })
        }
    }
}


@Suite("specsync sync (service): drift", .serialized)
struct DaemonDriftTests {
    let daemon = DaemonTests()

    func driftConfiguration(_ policy: String) -> String {
        "  drift:\n    interval: 300ms\n    policy: \(policy)"
    }

    @Test("drift under warn is logged and counted, and the remote is left alone")
    func warn() async throws {
        try await daemon.withDaemonConfigured(extraDaemonOverride: driftConfiguration("warn")) { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            let id = try #require(await harness.emulator.store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            _ = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try await harness.waitUntil("the drift metric") {
                try PrometheusExposition(try await harness.get("/metrics").body).value("specsync_drift_specs") == 1
            }
            #expect(harness.log.contains("spec changed outside git"))
            try await Task.sleep(for: .milliseconds(700))
            #expect(await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/description")] == .string("edited in the console"))
        }
    }

    @Test("drift under heal sends the desired body again and re-creates a spec deleted remotely")
    func heal() async throws {
        try await daemon.withDaemonConfigured(extraDaemonOverride: driftConfiguration("heal")) { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            let alpha = try #require(await harness.emulator.store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            let beta = try #require(await harness.emulator.store.connectionSpecs(named: "beta source").first?[JSONPointer("/id")]?.stringValue)
            _ = try await harness.emulator.store.editOutOfBand(id: alpha, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try await harness.emulator.store.deleteOutOfBand(id: beta)
            try await harness.waitUntil("alpha healed") {
                await harness.emulator.store.connectionSpec(id: alpha)?[JSONPointer("/description")] == .string("alpha source through generic REST")
            }
            try await harness.waitUntil("beta re-created") { await harness.specNames() == ["alpha source", "beta source"] }
            let recreated = await harness.emulator.store.connectionSpecs(named: "beta source").first?[JSONPointer("/id")]?.stringValue
            #expect(recreated != beta)
            try await harness.waitUntil("the state to record the new id") {
                (try? StateStore(path: harness.stateFile).load()?[BundleID("beta")]?.id) == recreated
            }
        }
    }
}

extension DaemonTests {
    func withDaemonConfigured(extraDaemonOverride drift: String, _ body: (DaemonHarness) async throws -> Void) async throws {
        try await withDaemon(drift: drift, body)
    }
}

extension DaemonDriftTests {
    @Test("a spec that keeps diverging after every heal is quarantined instead of re-sent forever")
    func loopBreaker() async throws {
        try await daemon.withDaemonConfigured(extraDaemonOverride: "  drift:\n    interval: 300ms\n    policy: heal\n    maxHeals: 1") { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            let id = try #require(await harness.emulator.store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            let original = JSONValue.string("alpha source through generic REST")
            _ = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("the other writer, 1"))
            try await harness.waitUntil("the first heal") {
                await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/description")] == original
            }
            _ = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("the other writer, 2"))
            try await harness.waitUntil("the quarantine") {
                (try? StateStore(path: harness.stateFile).load()?[BundleID("alpha")]?.quarantined) == true
            }
            try await Task.sleep(for: .seconds(1))
            #expect(await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/description")] == .string("the other writer, 2"),
                    "no second heal")
            #expect(harness.log.contains("spec quarantined"))
        }
    }
}
