import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// `adopt` and `import` against an org whose listing holds Adobe's catalogue and a colleague's spec:
/// the real binary links a foreign spec only when asked, and another org's never.
@Suite("adopt and import of foreign specs", .serialized)
struct ForeignSpecCommandTests {
    func withRepository(
        bundles: [String], _ body: (FlowServiceEmulator, GitFixture) async throws -> Void
    ) async throws {
        var configuration = CLIHarness.emulatorConfiguration()
        configuration.catalogueSize = 60
        configuration.listPageSize = 20
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await CLIHarness.repository(for: emulator, configuration: configuration, bundles: bundles)
            defer { fixture.cleanUp() }
            try await body(emulator, fixture)
        }
    }

    func outcome(_ stdout: String, _ bundle: String) throws -> [String: Any]? {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return (report["bundles"] as? [[String: Any]] ?? []).first { $0["bundle"] as? String == bundle }
    }

    @Test("adopt skips Adobe's catalogue spec and a colleague's, and links the colleague's with --include-foreign")
    func adopt() async throws {
        // "alpha source" is also the name of a catalogue spec.
        try await withRepository(bundles: ["alpha", "beta"]) { emulator, fixture in
            let store = emulator.store
            let adobes = try #require(await store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            guard case .object(let body) = try JSONParser().parse(SampleBundle.spec(name: "beta source")) else { return }
            let colleagues = try #require(await store.createOutOfBand(body, client: "colleague-client")[JSONPointer("/id")]?.stringValue)

            let plain = try await CLIHarness.specsync(["adopt", "--format", "json"], in: fixture)
            #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
            #expect(try outcome(plain.stdout, "alpha")?["result"] as? String == "notFound")
            #expect(try outcome(plain.stdout, "alpha")?["candidates"] as? [String] == [adobes])
            let betaReason = try outcome(plain.stdout, "beta")?["reason"] as? String ?? ""
            #expect(betaReason.contains("colleague-client") && betaReason.contains("--include-foreign"), "\(betaReason)")
            #expect(((try? CLIHarness.record(fixture, "beta")) ?? nil) == nil, "nothing recorded")

            let asked = try await CLIHarness.specsync(["adopt", "--include-foreign", "--format", "json"], in: fixture)
            #expect(asked.status == 0, "\(asked.stdout)\(asked.stderr)")
            #expect(try outcome(asked.stdout, "alpha")?["result"] as? String == "notFound", "another org's spec: never")
            #expect(try outcome(asked.stdout, "beta")?["id"] as? String == colleagues)
            #expect(try CLIHarness.record(fixture, "beta")?["id"] as? String == colleagues)
            #expect(try CLIHarness.record(fixture, "alpha") == nil)
            #expect(await CLIHarness.writeRequests(emulator) == 0)
        }
    }

    @Test("plan says a bundle named like a catalogue spec gets a spec of its own, as the sync then does")
    func plan() async throws {
        try await withRepository(bundles: ["alpha"]) { emulator, fixture in
            let plan = try await CLIHarness.specsync(["plan"], in: fixture)
            #expect(plan.stdout.contains("specs specsync did not create have this name"), "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("ADOBECATALOGUE") && !plan.stdout.contains("would be adopted"), "\(plan.stdout)")
            let sync = try await CLIHarness.specsync(["sync", "--once"], in: fixture)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            #expect(await emulator.store.connectionSpecs(named: "alpha source").count == 2, "Adobe's and the bundle's own")
            #expect(await emulator.store.statistics().count("PUT", "connectionSpec", 403) == 0)
        }
    }

    @Test("import refuses a spec of another org even by --id, and finds a colleague's by name only with --include-foreign")
    func importForeign() async throws {
        try await withRepository(bundles: []) { emulator, fixture in
            let store = emulator.store
            let adobes = try #require(await store.catalogueSpecs().first?[JSONPointer("/id")]?.stringValue)
            guard case .object(let body) = try JSONParser().parse(SampleBundle.spec(name: "Colleague source")) else { return }
            _ = await store.createOutOfBand(body, client: "colleague-client")

            let byID = try await CLIHarness.specsync(["import", "--id", adobes], in: fixture)
            #expect(byID.status == 1)
            #expect(byID.stderr.contains("of the org ADOBECATALOGUE") && byID.stderr.contains("cannot be imported"), "\(byID.stderr)")

            let byName = try await CLIHarness.specsync(["import", "--name", "Colleague source"], in: fixture)
            #expect(byName.status == 1)
            #expect(byName.stderr.contains("colleague-client") && byName.stderr.contains("--include-foreign"), "\(byName.stderr)")

            let asked = try await CLIHarness.specsync(["import", "--name", "Colleague source", "--include-foreign"], in: fixture)
            #expect(asked.status == 0, "\(asked.stdout)\(asked.stderr)")
            #expect(CLIHarness.read(fixture, "Sources/colleague-source/Artifacts/colleague-source-connectionSpec.json") != nil)
        }
    }
}
