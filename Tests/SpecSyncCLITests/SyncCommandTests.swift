import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// `specsync sync --once`, `plan` and `status`, run as the real binary against the emulator.
@Suite("specsync sync --once", .serialized)
struct SyncCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples")
    static let secret = "emulator-secret-\(UUID().uuidString)"

    /// A repository of the example bundles with a configuration pointing at `emulator`.
    static func repository(for emulator: FlowServiceEmulator, configuration: EmulatorConfiguration) async throws -> GitFixture {
        let fixture = try GitFixture()
        for entry in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(entry), to: fixture.url.appendingPathComponent(entry))
        }
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 2"])
        try fixture.write("targets:\n" + target, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        return fixture
    }

    /// An emulator and a repository of the examples configured for it, for the length of `body`.
    static func withExampleRepository(
        _ configuration: EmulatorConfiguration = emulatorConfiguration(),
        _ body: (FlowServiceEmulator, GitFixture) async throws -> Void
    ) async throws {
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await repository(for: emulator, configuration: configuration)
            defer { fixture.cleanUp() }
            try await body(emulator, fixture)
        }
    }

    static func emulatorConfiguration() -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = secret
        return configuration
    }

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": Self.secret])
    }

    @Test("run twice on the example repository: the second run sends no write and exits 0; status shows the ids")
    func twice() async throws {
        try await Self.withExampleRepository { emulator, fixture in
            let first = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
            #expect((report?["created"] as? [String])?.sorted() == ["acme-orders", "mailchimp-campaigns", "mailchimp-members"])
            let statistics = await emulator.store.statistics()
            #expect(statistics.count("POST", "connectionSpecs", 201) == 3)
            #expect(statistics.count("PUT", "flowSpec", 200) == 1, "the three new specs are added to RestStorageToAEP in one update: \(statistics.requests)")
            let flowSpec = await emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72")
            #expect(flowSpec?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue?.count == 3)
            let writes = statistics.writes

            let second = try await specsync(["sync", "--once"], in: fixture)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("0 created, 0 updated, 3 unchanged, 0 failed"))
            #expect(await emulator.store.statistics().writes == writes)

            let status = try await specsync(["status"], in: fixture)
            #expect(status.status == 0)
            let stored = await emulator.store.connectionSpecs()
            for spec in stored {
                let id = try #require(spec[JSONPointer("/id")]?.stringValue)
                #expect(status.stdout.contains("id \(id)"))
            }
            for output in [first.stdout, first.stderr, second.stdout, second.stderr, status.stdout,
                           try String(contentsOf: fixture.url.appendingPathComponent(".specsync/emulator.state.json"), encoding: .utf8)] {
                #expect(!output.contains(Self.secret), "the client secret leaked")
            }
        }
    }

    @Test("one invalid bundle: the others are synced and the exit code is 3")
    func partial() async throws {
        try await Self.withExampleRepository { emulator, fixture in
            try fixture.write("{ \"name\": ", to: "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json")
            try fixture.commitAll("break acme")
            let result = try await specsync(["sync", "--once"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("! invalid  acme-orders"))
            #expect(result.stdout.contains("acme-orders-connectionSpec.json:1:11"))
            #expect(await emulator.store.connectionSpecs().count == 2)
        }
    }

    @Test("plan is read-only and reports pending changes with --detailed-exitcode")
    func onlinePlan() async throws {
        try await Self.withExampleRepository { emulator, fixture in
            let plan = try await specsync(["plan", "--detailed-exitcode"], in: fixture)
            #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("Plan: 3 to create"))
            let requests = await emulator.store.statistics().requests
            #expect(requests.keys.contains { $0.hasPrefix("GET connectionSpec") }, "\(requests)")
            #expect(!requests.keys.contains { $0.hasPrefix("POST connectionSpec") || $0.hasPrefix("PUT") }, "\(requests)")
            #expect(await emulator.store.connectionSpecs().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"))
        }
    }

    @Test("a second run while the state is locked is refused with the holder's pid")
    func lockedState() async throws {
        try await Self.withExampleRepository { emulator, fixture in
            let lock = try StateLock.acquire(forState: fixture.path + "/.specsync/emulator.state.json")
            defer { lock.release() }
            let result = try await specsync(["sync", "--once"], in: fixture)
            #expect(result.status == 1)
            #expect(result.stderr.contains("another specsync run holds the state lock (pid \(getpid())"))
            #expect(await emulator.store.statistics().writes == 0)
        }
    }

    @Test("a run killed mid-pass resumes without duplicates")
    func killedRun() async throws {
        var configuration = Self.emulatorConfiguration()
        configuration.latency = .milliseconds(150)
        try await Self.withExampleRepository(configuration) { emulator, fixture in
            for index in 0..<8 { try SampleBundle.write("extra-\(index)", in: fixture.directory) }
            try fixture.commitAll("more bundles")

            // Without the runner's SPECSYNC_ variables (SPECSYNC_TEST_BINARY would be an unknown key).
            let process = try ChildProcess(
                try SpecSyncBinary.path, ["sync", "--once"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment(["EMULATOR_CLIENT_SECRET": Self.secret]))
            let deadline = ContinuousClock.now + .seconds(20)
            while await emulator.store.statistics().writes < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            process.signal(SIGKILL)
            await process.exited()
            #expect(process.terminationReason == .uncaughtSignal)
            let writesBeforeKill = await emulator.store.statistics().writes
            #expect(writesBeforeKill >= 3 && writesBeforeKill < 11, "killed mid-pass")

            let resumed = try await specsync(["sync", "--once"], in: fixture)
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(names.count == 11, "\(names.sorted())")
            #expect(Set(names).count == 11, "no duplicates")
            let again = try await specsync(["sync", "--once"], in: fixture)
            #expect(again.stdout.contains("11 unchanged"))
        }
    }
}
