import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// `verify.afterSync` in the service: the real daemon binary verifies what its passes wrote
/// through the emulator, which runs the spec against its sample API; failures are logged, counted
/// and notified, never block a pass, never loop; a killed run's leftovers are deleted after a restart.
@Suite("specsync sync (service): verify after sync", .serialized)
struct DaemonVerificationTests {
    static let sourcePassword = "daemon-source-password-\(UUID().uuidString)"
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples/Sources")
    static let specFile = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
    /// A verification awaits a dataflow run of five pages: on a machine shared by many builds that can take minutes.
    static let patience: Duration = .seconds(300)

    struct Setup {
        let emulator: FlowServiceEmulator
        let fixture: GitFixture
        let work: TemporaryDirectory
        let port: Int
        let receiver: NotificationReceiverServer
        let notify: NotifySocket

        /// A daemon on this setup's configuration and state (a second one after a kill takes over both).
        func daemon() throws -> DaemonHarness {
            let harness = DaemonHarness(emulator: emulator, fixture: fixture, work: work, notify: notify, httpPort: port)
            harness.extraEnvironment = ["SOURCE_PASSWORD": DaemonVerificationTests.sourcePassword]
            return harness
        }

        func metric(_ harness: DaemonHarness, _ result: String) async throws -> Double? {
            try PrometheusExposition(try await harness.get("/metrics").body).value("specsync_verifications_total", ["result": result])
        }

        func spec() throws -> String { try String(contentsOf: fixture.url.appendingPathComponent(DaemonVerificationTests.specFile), encoding: .utf8) }
    }

    /// The acme-orders example in a repository, the sample API behind the emulator's verification,
    /// and a configuration with `verify.afterSync` (a dataflow run awaited) and a webhook receiver.
    static func withSetup(_ body: (Setup) async throws -> Void) async throws {
        let receiver = try NotificationReceiverServer(mode: .ok)
        defer { receiver.stop() }
        var sample = SampleAPIConfiguration()
        sample.acmeUsername = "verify"
        sample.acmePassword = sourcePassword
        try await withSampleAPI(sample) { source in
            var configuration = EmulatorConfiguration()
            configuration.clientSecret = DaemonHarness.secret
            configuration.sourceProbe = RuntimeSourceProbe(origin: try await source.baseURL)
            try await withFlowServiceEmulator(configuration) { emulator in
                let fixture = try GitFixture()
                let work = try TemporaryDirectory()
                defer {
                    fixture.cleanUp()
                    work.remove()
                }
                try FileManager.default.createDirectory(at: fixture.url.appendingPathComponent("Sources"), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: examples.appendingPathComponent("acme-orders"), to: fixture.url.appendingPathComponent("Sources/acme-orders"))
                try fixture.commitAll("acme-orders")
                let port = try freeLoopbackPort()
                let text = try await DaemonHarness.configuration(emulator: emulator, repository: "  path: \(fixture.path)", httpPort: port)
                try work.write(text + """
                        verify:
                          afterSync: true
                          dataflow: true
                          runTimeout: 2m
                          bundles:
                            acme-orders:
                              auth: {domain: acme, username: verify, password: "$(env:SOURCE_PASSWORD)"}
                    notifications:
                      hooks:
                        type: webhook
                        url: \(receiver.baseURL)/hooks
                        events: [verification-failed]

                    """, to: "specsync.yaml")
                try await body(Setup(emulator: emulator, fixture: fixture, work: work, port: port, receiver: receiver, notify: try NotifySocket(directory: work)))
            }
        }
    }

    static func items(_ receiver: NotificationReceiverServer) -> [[String: Any]] {
        receiver.requests.flatMap { request -> [[String: Any]] in
            let payload = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
            return ((payload?["items"] as? [[String: Any]]) ?? []).filter { $0["event"] as? String == "verification-failed" }
        }
    }

    static func lines(_ log: String, containing text: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    @Test("the daemon verifies the spec a pass wrote; a broken one is logged at error, counted and notified once, and not verified again until it changes")
    func verifiesWhatChanged() async throws {
        try await Self.withSetup { setup in
            let harness = try setup.daemon()
            try harness.start()
            defer { harness.stop() }
            try await harness.waitUntil("the first pass's verification", timeout: Self.patience) { try await setup.metric(harness, "passed") == 1 }
            let passed = try #require(Self.lines(harness.log, containing: "verification passed").first)
            #expect(passed.contains("acme-orders"), "\(passed)")
            let first = await setup.emulator.verificationStore.counts()
            #expect(first["runs"] == 1 && first["connections"] == 0 && first["flows"] == 0, "one awaited run, everything deleted: \(first)")

            // A contentPath that matches nothing: the pass writes it, the verification fails at the test.
            try setup.fixture.write(try setup.spec().replacingOccurrences(of: "\"$.orders\"", with: "\"$.items\""), to: Self.specFile)
            try setup.fixture.commitAll("wrong content path")
            try await harness.waitUntil("the failed verification", timeout: Self.patience) { try await setup.metric(harness, "failed") == 1 }
            let failed = try #require(Self.lines(harness.log, containing: "verification failed").first)
            #expect(failed.contains(#""level":"error""#), "logged at error: \(failed)")
            #expect(failed.contains("acme-orders"), "\(failed)")
            #expect(failed.contains("contentPath $.items matched nothing on page 1"), "\(failed)")
            try await harness.waitUntil("the notification", timeout: Self.patience) { !Self.items(setup.receiver).isEmpty }
            let item = try #require(Self.items(setup.receiver).first)
            #expect(item["bundle"] as? String == "acme-orders")
            #expect((item["reason"] as? String)?.contains("test: the connection test failed") == true, "\(item)")

            // More passes (SIGHUP reloads and passes) that write nothing verify nothing.
            let passes = Self.lines(harness.log, containing: "pass finished").count
            harness.signal(SIGHUP)
            try await harness.waitUntil("a pass after the reload", timeout: Self.patience) { Self.lines(harness.log, containing: "pass finished").count > passes }
            harness.signal(SIGHUP)
            try await harness.waitUntil("another pass", timeout: Self.patience) { Self.lines(harness.log, containing: "pass finished").count > passes + 1 }
            try await harness.waitUntil("the notification counted", timeout: Self.patience) {
                try PrometheusExposition(try await harness.get("/metrics").body)
                    .value("specsync_notifications_total", ["receiver": "hooks", "outcome": "sent"]) == 1
            }
            #expect(try await setup.metric(harness, "failed") == 1, "a failed spec is not verified again until it changes")
            #expect(try await setup.metric(harness, "passed") == 1)
            #expect(Self.items(setup.receiver).count == 1, "told once")
            #expect(await setup.emulator.verificationStore.counts()["connections"] == 0)

            // Fixed: verified again, and it passes.
            try setup.fixture.write(try setup.spec().replacingOccurrences(of: "\"$.items\"", with: "\"$.orders\""), to: Self.specFile)
            try setup.fixture.commitAll("fix the content path")
            try await harness.waitUntil("the fixed spec's verification", timeout: Self.patience) { try await setup.metric(harness, "passed") == 2 }
            for text in [harness.log, setup.receiver.requests.map(\.text).joined()] {
                #expect(!text.contains(Self.sourcePassword), "the source password leaked")
            }
        }
    }

    @Test("a held verification does not hold up the next pass; killed mid-chain, its connection is deleted by the next daemon")
    func killedMidChain() async throws {
        try await Self.withSetup { setup in
            let harness = try setup.daemon()
            try harness.start()
            defer { harness.stop() }
            try await harness.waitUntil("the first pass's verification", timeout: Self.patience) { try await setup.metric(harness, "passed") == 1 }

            var slow = VerificationStore.Settings()
            slow.delayMilliseconds = ["GET connections/test": 20_000]
            await setup.emulator.verificationStore.replaceSettings(slow)
            let original = try setup.spec()
            try setup.fixture.write(original.replacingOccurrences(of: "\"Acme Orders source\"", with: "\"Acme Orders\""), to: Self.specFile)
            try setup.fixture.commitAll("rename")
            try await harness.waitUntil("the verification's connection test, held", timeout: Self.patience) {
                await setup.emulator.verificationStore.held["GET connections/test", default: 0] == 1
            }
            // While it is held, the next change is synced all the same.
            try setup.fixture.write(original.replacingOccurrences(of: "\"Acme Orders source\"", with: "\"Acme Orders, renamed again\""), to: Self.specFile)
            try setup.fixture.commitAll("rename again")
            try await harness.waitUntil("the second rename in Flow Service", timeout: Self.patience) {
                await !setup.emulator.store.connectionSpecs(named: "Acme Orders, renamed again").isEmpty
            }
            #expect(await setup.emulator.verificationStore.held["GET connections/test", default: 0] == 1, "the first verification is still held")
            #expect(try await setup.metric(harness, "passed") == 1)
            #expect(try await setup.metric(harness, "failed") == 0, "the held verification has not ended")

            harness.signal(SIGKILL)
            _ = try await harness.waitForExit()
            #expect(await setup.emulator.verificationStore.counts()["connections"] == 1, "the killed run left its base connection")
            let ledger = try String(contentsOfFile: setup.work.path + "/state/emulator.verify-ledger.json", encoding: .utf8)
            #expect(ledger.contains("specsync-verify-acme-orders"), "\(ledger)")

            await setup.emulator.verificationStore.replaceSettings(VerificationStore.Settings())
            let next = try setup.daemon()
            try next.start()
            defer { next.stop() }
            try await next.waitUntil("the leftover deleted", timeout: Self.patience) { !Self.lines(next.log, containing: "verification leftover deleted").isEmpty }
            let counts = await setup.emulator.verificationStore.counts()
            #expect(counts["connections"] == 0 && counts["sourceConnections"] == 0 && counts["flows"] == 0, "nothing is left: \(counts)")
        }
    }
}
