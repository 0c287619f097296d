import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("specsync adopt", .serialized)
struct AdoptCommandTests {
    func withRepository(
        bundles: [String], _ body: (FlowServiceEmulator, EmulatorClient, GitFixture) async throws -> Void
    ) async throws {
        let configuration = CLIHarness.emulatorConfiguration()
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await CLIHarness.repository(for: emulator, configuration: configuration, bundles: bundles)
            defer { fixture.cleanUp() }
            try await body(emulator, EmulatorClient(emulator: emulator, configuration: configuration), fixture)
        }
    }

    func results(_ report: [String: Any]) -> [String: [String: Any]] {
        var results: [String: [String: Any]] = [:]
        for entry in report["bundles"] as? [[String: Any]] ?? [] {
            results[entry["bundle"] as? String ?? "?"] = entry
        }
        return results
    }

    @Test("links by name without any write; ambiguous and missing names are reported; --dry-run writes nothing")
    func linksByName() async throws {
        try await withRepository(bundles: ["alpha", "beta", "gamma", "delta"]) { emulator, client, fixture in
            // Remote specs made elsewhere, with a body that differs from git's (another path, no sidecars).
            let alpha = try await client.create(SampleBundle.spec(name: "alpha source", path: "/remote/alpha"))
            let beta1 = try await client.create(SampleBundle.spec(name: "beta source"))
            let beta2 = try await client.create(SampleBundle.spec(name: "beta source"))
            let gamma = try await client.create(SampleBundle.spec(name: "gamma source"))
            let writes = await CLIHarness.writeRequests(emulator)
            #expect(writes == 4)

            let dry = try await CLIHarness.specsync(["adopt", "--dry-run"], in: fixture)
            #expect(dry.status == 3, "\(dry.stdout)\(dry.stderr)")
            #expect(dry.stdout.contains("would adopt"), "\(dry.stdout)")
            #expect(dry.stdout.contains("Dry run: nothing was written."))
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"))

            let result = try await CLIHarness.specsync(["adopt", "--format", "json"], in: fixture)
            #expect(result.status == 3, "ambiguous needs attention: \(result.stdout)\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let outcomes = results(report)
            #expect(outcomes["alpha"]?["result"] as? String == "adopted")
            #expect(outcomes["alpha"]?["id"] as? String == alpha)
            #expect(outcomes["gamma"]?["result"] as? String == "adopted")
            #expect(outcomes["gamma"]?["id"] as? String == gamma)
            #expect(outcomes["beta"]?["result"] as? String == "ambiguous")
            #expect(Set(outcomes["beta"]?["candidates"] as? [String] ?? []) == [beta1, beta2])
            #expect(outcomes["delta"]?["result"] as? String == "notFound")
            #expect(outcomes["delta"]?["reason"] as? String == "no remote spec, sync will create it")
            #expect(report["written"] as? Bool == true)

            #expect(await CLIHarness.writeRequests(emulator) == writes, "adopt never writes to the API")
            let alphaRecord = try #require(try CLIHarness.record(fixture, "alpha"))
            #expect(alphaRecord["id"] as? String == alpha)
            #expect(alphaRecord["name"] as? String == "alpha source")
            #expect(alphaRecord["bodyHash"] == nil, "adopting does not claim the remote equals git")
            #expect(alphaRecord["updatedAt"] != nil && alphaRecord["createdAt"] != nil)
            #expect(try CLIHarness.record(fixture, "gamma")?["id"] as? String == gamma)
            #expect(try CLIHarness.record(fixture, "beta") == nil)
            #expect(try CLIHarness.record(fixture, "delta") == nil)
            #expect(try CLIHarness.state(fixture)["lastSyncedCommit"] == nil)

            let text = try await CLIHarness.specsync(["adopt"], in: fixture)
            #expect(text.status == 3)
            #expect(text.stdout.contains("ambiguous"), "\(text.stdout)")
            #expect(text.stdout.contains(beta1) && text.stdout.contains(beta2))
            #expect(text.stdout.contains("no remote spec, sync will create it"))
            #expect(text.stdout.contains("0 adopted, 1 ambiguous, 1 without a remote spec (sync will create them), 2 already linked"), "\(text.stdout)")
            #expect(await CLIHarness.writeRequests(emulator) == writes)
        }
    }

    @Test("after adopt, sync --once PUTs each adopted spec once and creates the missing one; the next run is a no-op")
    func followingSync() async throws {
        try await withRepository(bundles: ["alpha", "gamma", "delta"]) { emulator, client, fixture in
            let alpha = try await client.create(SampleBundle.spec(name: "alpha source", path: "/remote/alpha"))
            let gamma = try await client.create(SampleBundle.spec(name: "gamma source", path: "/remote/gamma"))

            let adopt = try await CLIHarness.specsync(["adopt"], in: fixture)
            #expect(adopt.status == 0, "\(adopt.stdout)\(adopt.stderr)")
            #expect(adopt.stdout.contains("2 adopted, 0 ambiguous, 1 without a remote spec"), "\(adopt.stdout)")
            let before = await emulator.store.statistics()
            #expect(before.total(method: "PUT") == 0)

            let sync = try await CLIHarness.specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as? [String: Any])
            #expect((report["updated"] as? [String])?.sorted() == ["alpha", "gamma"])
            #expect(report["created"] as? [String] == ["delta"])
            let after = await emulator.store.statistics()
            #expect(after.count("PUT", "connectionSpec", 200) == 2)
            #expect(after.count("POST", "connectionSpecs", 201) - before.count("POST", "connectionSpecs", 201) == 1)
            for (id, path) in [(alpha, "/3.0/lists/${listId}/members"), (gamma, "/3.0/lists/${listId}/members")] {
                let stored = await emulator.store.connectionSpec(id: id)
                #expect(stored?[JSONPointer("/sourceSpec/attributes/urlParams/path")] == .string(path), "git's body was sent")
                #expect(stored?[JSONPointer("/sourceSpec/attributes/uiAttributes/label/text")] != nil, "with the sidecars filled in")
            }
            #expect(await emulator.store.connectionSpecs().count == 3, "no duplicate was created")

            let writes = await CLIHarness.writes(emulator)
            let again = try await CLIHarness.specsync(["sync", "--once"], in: fixture)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("0 created, 0 updated, 3 unchanged, 0 failed"), "\(again.stdout)")
            #expect(await CLIHarness.writes(emulator) == writes)
        }
    }

    @Test("a remote spec already recorded for another bundle (a folder renamed outside sync) is a conflict, not a second link")
    func conflict() async throws {
        try await withRepository(bundles: ["alpha"]) { emulator, client, fixture in
            let id = try await client.create(SampleBundle.spec(name: "alpha source"))
            let first = try await CLIHarness.specsync(["adopt"], in: fixture)
            #expect(first.status == 0)
            try fixture.remove("Sources/alpha")
            try SampleBundle.write("alpha2", name: "alpha source", in: fixture.directory)
            try fixture.commitAll("rename alpha")
            let result = try await CLIHarness.specsync(["adopt", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let outcome = results(report)["alpha2"]
            #expect(outcome?["result"] as? String == "conflict")
            #expect((outcome?["reason"] as? String)?.contains("already recorded for bundle alpha") == true)
            #expect(try CLIHarness.record(fixture, "alpha2") == nil)
            #expect(try CLIHarness.record(fixture, "alpha")?["id"] as? String == id)
        }
    }
}
