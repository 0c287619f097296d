import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// Secrets and environments through the real binary.
@Suite("specsync safety: secrets and environments", .serialized)
struct SafetyCommandTests {
    @Test("a secret value never appears in any output, log line or the state file, even when requests fail")
    func secretsNeverLeak() async throws {
        let tokenV1 = "tok-v1-\(UUID().uuidString)"
        let tokenV2 = "tok-v2-\(UUID().uuidString)"
        var configuration = SyncCommandTests.emulatorConfiguration()
        configuration.faults.seed = 11
        try await SyncCommandTests.withExampleRepository(configuration) { emulator, fixture in
            let extra = """

              "attributes": {"headers": {"Authorization": "Bearer $(env:API_TOKEN)"}},
            """
            try fixture.write(SampleBundle.spec(name: "secret source", extra: extra), to: "Sources/secret/Artifacts/secret-connectionSpec.json")
            try fixture.commitAll("secret bundle")
            var outputs: [String] = []
            func run(_ arguments: [String], token: String) async throws -> ProcessResult {
                let result = try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: [
                    "EMULATOR_CLIENT_SECRET": SyncCommandTests.secret, "API_TOKEN": token,
                ])
                outputs += [result.stdout, result.stderr]
                return result
            }
            _ = try await run(["plan", "--offline"], token: tokenV1)
            // A failing pass: every Flow Service request answers 5xx.
            var failing = FaultPlan()
            failing.serverErrorRate = 1
            await emulator.setFaults(failing)
            let failed = try await run(["sync", "--once", "--log-level", "debug"], token: tokenV1)
            #expect(failed.status == 3, "\(failed.stdout)\(failed.stderr)")
            await emulator.setFaults(FaultPlan())
            let synced = try await run(["sync", "--once", "--log-level", "debug", "--format", "json"], token: tokenV1)
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
            let remote = try #require(await emulator.store.connectionSpecs(named: "secret source").first)
            #expect(remote[JSONPointer("/attributes/headers/Authorization")] == .string("Bearer \(tokenV1)"), "the secret really was sent")

            // Rotate the secret and change how the bundle uses it: the plan shows the change as (sensitive).
            let rotated = extra.replacingOccurrences(of: "Bearer $(env:API_TOKEN)", with: "Token $(env:API_TOKEN)")
            try fixture.write(SampleBundle.spec(name: "secret source", path: "/v2/secret", extra: rotated), to: "Sources/secret/Artifacts/secret-connectionSpec.json")
            try fixture.commitAll("rotate")
            let plan = try await run(["plan", "--offline"], token: tokenV2)
            #expect(plan.stdout.contains("~ /attributes/headers/Authorization: \"(sensitive)\" → \"(sensitive)\""), "\(plan.stdout)")
            _ = try await run(["plan", "--offline", "--format", "json"], token: tokenV2)
            _ = try await run(["sync", "--once", "--log-level", "trace"], token: tokenV2)
            _ = try await run(["status"], token: tokenV2)
            _ = try await run(["status", "--format", "json"], token: tokenV2)
            let state = try String(contentsOf: fixture.url.appendingPathComponent(".specsync/emulator.state.json"), encoding: .utf8)
            for (index, text) in (outputs + [state]).enumerated() {
                #expect(!text.contains(tokenV1) && !text.contains(tokenV2), "output \(index) leaks a secret")
                #expect(!text.contains(SyncCommandTests.secret), "output \(index) leaks the client secret")
            }
        }
    }

    @Test("two targets keep separate states; --target selects one")
    func twoTargets() async throws {
        var configuration = SyncCommandTests.emulatorConfiguration()
        try await withFlowServiceEmulator(configuration) { dev in
            configuration.sandbox = "prod"
            try await withFlowServiceEmulator(configuration) { prod in
                let fixture = try GitFixture()
                defer { fixture.cleanUp() }
                try SampleBundle.write("alpha", in: fixture.directory)
                let settings = ["flowSpecId: \"off\""]
                try fixture.write("targets:\n"
                    + (try await dev.targetConfiguration(name: "dev", secretVariable: "EMULATOR_CLIENT_SECRET", settings: settings))
                    + (try await prod.targetConfiguration(name: "prod", secretVariable: "EMULATOR_CLIENT_SECRET", settings: settings)),
                    to: "specsync.yaml")
                try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
                try fixture.commitAll("one bundle, two targets")
                let environment = ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret]
                let ambiguous = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: environment)
                #expect(ambiguous.status == 1)
                #expect(ambiguous.stderr.contains("several targets are configured"))
                let toDev = try await SpecSyncBinary.execute(["sync", "--once", "--target", "dev"], in: fixture.url, environment: environment)
                #expect(toDev.status == 0, "\(toDev.stderr)")
                #expect(await dev.store.connectionSpecs().count == 1)
                #expect(await prod.store.connectionSpecs().isEmpty, "promotion is an explicit sync of the next target")
                #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/prod.state.json"))
                let toProd = try await SpecSyncBinary.execute(["sync", "--once", "--target", "prod"], in: fixture.url, environment: environment)
                #expect(toProd.status == 0, "\(toProd.stderr)")
                let devState = try #require(try StateStore(path: fixture.path + "/.specsync/dev.state.json").load())
                let prodState = try #require(try StateStore(path: fixture.path + "/.specsync/prod.state.json").load())
                #expect(devState.target.name == "dev" && prodState.target.name == "prod")
                #expect(devState[BundleID("alpha")]?.id != prodState[BundleID("alpha")]?.id)
                #expect(devState.lineage != prodState.lineage)
            }
        }
    }
}
