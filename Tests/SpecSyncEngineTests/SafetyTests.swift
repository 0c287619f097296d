import Foundation
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncTargets
import SpecSyncTestSupport
import Testing

/// GitOps safety: conflicts, secrets, prune, patches, flow spec registration.
@Suite("GitOps safety against the emulator", .serialized)
struct SafetyTests {
    @Test("a spec edited in the console is not overwritten without --force; both timestamps are reported")
    func conflict() async throws {
        try await EngineHarness.with(bundles: ["alpha"]) { harness in
            _ = try await harness.sync()
            let id = try #require(try harness.store.load()?[BundleID("alpha")]?.id)
            _ = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try harness.fixture.write(SampleBundle.spec(name: "alpha source", path: "/v2/alpha"), to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try harness.fixture.commitAll("edit alpha")

            let refused = try await harness.sync()
            let reason = try #require(refused.failed.first?.reason)
            #expect(reason.contains("conflict: the remote connection spec \(id) was changed outside git"))
            #expect(reason.contains("specsync last wrote it at"))
            #expect(reason.contains("--force"))
            #expect(await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/description")] == .string("edited in the console"))

            var options = SyncEngine.Options()
            options.policy.overwriteConflicts = true
            let forced = try await harness.sync(options: options)
            #expect(forced.updated == [BundleID("alpha")])
            let remote = await harness.emulator.store.connectionSpec(id: id)
            #expect(remote?[JSONPointer("/description")] == .string("alpha source through generic REST"))
            #expect(remote?[JSONPointer("/sourceSpec/attributes/urlParams/path")] == .string("/v2/alpha"))
        }
    }

    @Test("many updates are checked against one listing of the target, not a GET each; conflicts and deletions are still caught")
    func conflictsFromOneListing() async throws {
        let sources = (0..<12).map { "bundle\($0)" }
        try await EngineHarness.with(bundles: sources) { harness in
            _ = try await harness.sync()
            let state = try #require(try harness.store.load())
            let edited = try #require(state[BundleID("bundle3")]?.id)
            let deleted = try #require(state[BundleID("bundle7")]?.id)
            _ = try await harness.emulator.store.editOutOfBand(id: edited, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try await harness.emulator.store.deleteOutOfBand(id: deleted)
            for source in sources {
                try harness.fixture.write(SampleBundle.spec(name: "\(source) source", path: "/v2/\(source)"), to: "Sources/\(source)/Artifacts/\(source)-connectionSpec.json")
            }
            try harness.fixture.commitAll("edit every bundle")
            let before = await harness.emulator.store.statistics()

            let report = try await harness.sync()
            let after = await harness.emulator.store.statistics()
            #expect(report.updated.count == 10)
            #expect(Set(report.failed.map(\.bundle)) == [BundleID("bundle3"), BundleID("bundle7")])
            #expect(report.failed.first { $0.bundle == BundleID("bundle3") }?.reason.contains("was changed outside git") == true)
            #expect(report.failed.first { $0.bundle == BundleID("bundle7") }?.reason.contains("was deleted outside git") == true)
            #expect(after.total(method: "GET", kind: "connectionSpecs") - before.total(method: "GET", kind: "connectionSpecs") == 1)
            #expect(after.total(method: "GET", kind: "connectionSpec") == before.total(method: "GET", kind: "connectionSpec"))
            #expect(after.total(method: "PUT", kind: "connectionSpec") - before.total(method: "PUT", kind: "connectionSpec") == 10)
            #expect(await harness.emulator.store.connectionSpec(id: edited)?[JSONPointer("/description")] == .string("edited in the console"))
        }
    }

    @Test("many creates look their names up in one listing: an existing spec holding git's body is recorded without a write, the rest are created, none twice")
    func createsFromOneListing() async throws {
        let sources = (0..<12).map { "bundle\($0)" }
        try await EngineHarness.with(bundles: sources) { harness in
            // A spec that already exists under bundle5's name, as a run killed after its POST leaves it.
            let client = try await harness.client()
            let existing = try await client.create(try await harness.desiredBody("bundle5"))
            let before = await harness.emulator.store.statistics()

            let report = try await harness.sync()
            let after = await harness.emulator.store.statistics()
            #expect(report.created.count == 11)
            #expect(report.recorded == [BundleID("bundle5")])
            #expect(report.adopted.isEmpty)
            #expect(after.total(method: "PUT", kind: "connectionSpec") == before.total(method: "PUT", kind: "connectionSpec"), "bundle5 was not sent again")
            #expect(try harness.store.load()?[BundleID("bundle5")]?.id == existing.id)
            #expect(after.total(method: "GET", kind: "connectionSpecs") - before.total(method: "GET", kind: "connectionSpecs") == 1)
            #expect(after.total(method: "POST", kind: "connectionSpecs") - before.total(method: "POST", kind: "connectionSpecs") == 11)
            for source in sources {
                #expect(await harness.emulator.store.connectionSpecs(named: "\(source) source").count == 1)
            }
        }
    }

    @Test("a PUT that landed but was never recorded (a kill, a lost answer) is recognised by content, not refused as a conflict")
    func unrecordedWrite() async throws {
        try await EngineHarness.with(bundles: ["alpha", "beta"]) { harness in
            _ = try await harness.sync()
            let state = try #require(try harness.store.load())
            let alpha = try #require(state[BundleID("alpha")]?.id)
            let beta = try #require(state[BundleID("beta")]?.id)
            for source in ["alpha", "beta"] {
                try harness.fixture.write(SampleBundle.spec(name: "\(source) source", path: "/v2/\(source)"), to: "Sources/\(source)/Artifacts/\(source)-connectionSpec.json")
            }
            try harness.fixture.commitAll("edit both")
            // alpha: git's new body arrived, but its answer never reached the state.
            _ = try await harness.client().replace(id: alpha, with: try await harness.desiredBody("alpha"))
            // beta: someone else changed it.
            _ = try await harness.emulator.store.editOutOfBand(id: beta, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            let writes = await harness.emulator.store.statistics().writes

            let report = try await harness.sync()
            #expect(report.recorded == [BundleID("alpha")])
            #expect(report.updated.isEmpty)
            #expect(report.failed.map(\.bundle) == [BundleID("beta")])
            #expect(report.failed.first?.reason.contains("was changed outside git") == true)
            #expect(await harness.emulator.store.statistics().writes == writes, "alpha was not sent again")
            let remote = await harness.emulator.store.connectionSpec(id: alpha)
            let record = try #require(try harness.store.load()?[BundleID("alpha")])
            #expect(remote?[JSONPointer("/updatedAt")] == record.updatedAt.map { .number(String($0)) })
            #expect(record.bodyHash == (try await harness.desiredBody("alpha")).hash)
            #expect(!record.isPending)
        }
    }

    @Test("$(env:…) and $(cred:…) are resolved into the body, never into the state; ${…} and @{…} pass through")
    func secrets() async throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        let envSecret = "env-s3cret-\(UUID().uuidString)"
        let credSecret = "cred-s3cret-\(UUID().uuidString)"
        try credentials.write(credSecret + "\n", to: "api-key")
        try await EngineHarness.with(bundles: []) { harness in
            let extra = """

              "attributes": {"headers": {"X-Token": "$(env:API_TOKEN)", "X-Key": "Key $(cred:api-key)", "X-Var": "${listId}", "X-Expr": "@{concat('a','b')}"}},
            """
            try harness.fixture.write(SampleBundle.spec(name: "secret source", extra: extra), to: "Sources/secret/Artifacts/secret-connectionSpec.json")
            try harness.fixture.commitAll("secret bundle")
            var options = SyncEngine.Options()
            options.customization = BodyCustomization(secrets: SecretLookup(environment: ["API_TOKEN": envSecret, "CREDENTIALS_DIRECTORY": credentials.path]))
            let report = try await harness.sync(options: options)
            #expect(report.created == [BundleID("secret")], "\(report.invalid.map(\.reason))")
            let remote = try #require(await harness.emulator.store.connectionSpecs(named: "secret source").first)
            #expect(remote[JSONPointer("/attributes/headers/X-Token")] == .string(envSecret))
            #expect(remote[JSONPointer("/attributes/headers/X-Key")] == .string("Key \(credSecret)"))
            #expect(remote[JSONPointer("/attributes/headers/X-Var")] == .string("${listId}"))
            #expect(remote[JSONPointer("/attributes/headers/X-Expr")] == .string("@{concat('a','b')}"))
            let stateText = try String(contentsOfFile: harness.store.path, encoding: .utf8)
            #expect(!stateText.contains(envSecret) && !stateText.contains(credSecret))

            // Undefined: the bundle is invalid, with the reference named and nothing sent.
            try FileManager.default.removeItem(atPath: harness.store.path)
            let writes = await harness.emulator.store.statistics().writes
            let missing = try await harness.sync(options: SyncEngine.Options())
            #expect(missing.invalid.first?.reason.contains("$(env:API_TOKEN) is not defined") == true)
            #expect(await harness.emulator.store.statistics().writes == writes)
        }
    }

    @Test("prune is refused when git holds no bundle; otherwise capped, and Flow Service specs are marked, not deleted")
    func prune() async throws {
        try await EngineHarness.with(bundles: ["a", "b", "c", "keep"]) { harness in
            _ = try await harness.sync()
            var options = SyncEngine.Options()
            options.policy.prune = true
            options.policy.pruneLimit = 1
            try harness.fixture.git("rm", "-r", "-q", "Sources")
            try harness.fixture.write("nothing here\n", to: "README.md")
            try harness.fixture.commitAll("empty")
            let refused = try await harness.sync(options: options)
            #expect(refused.marked.isEmpty && refused.pruned.isEmpty)
            #expect(refused.orphaned.count == 4)
            #expect(refused.entries.allSatisfy { $0.decision.kind != .orphan || $0.decision.reason?.contains("git holds no bundle at all") == true })

            try harness.fixture.git("revert", "--no-edit", "HEAD")
            try harness.fixture.git("rm", "-r", "-q", "Sources/a", "Sources/b", "Sources/c")
            try harness.fixture.commitAll("remove three")
            let first = try await harness.sync(options: options)
            #expect(first.marked == [BundleID("a")], "Flow Service cannot delete: the orphan is marked")
            #expect(first.pruned.isEmpty)
            #expect(first.orphaned == [BundleID("b"), BundleID("c")])
            #expect(first.entries.contains { $0.decision.bundle == "b" && $0.decision.reason?.contains("prune limit of 1") == true })
            let second = try await harness.sync(options: options)
            #expect(second.marked == [BundleID("b")])
            #expect(second.orphaned == [BundleID("a"), BundleID("c")], "a marked orphan is left alone from then on")
            #expect(try harness.store.load()?[BundleID("a")]?.orphanedAt != nil)
            #expect(await harness.emulator.store.connectionSpecs().count == 4, "Flow Service has no DELETE for specs: nothing is deleted")
        }
    }

    @Test("merge patches apply to every body, then per bundle")
    func patches() async throws {
        try await EngineHarness.with(bundles: ["a", "b"]) { harness in
            var options = SyncEngine.Options()
            options.customization = BodyCustomization(
                patchAll: try JSONParser().parse(#"{"version": "2.0", "attributes": {"env": "stage"}}"#),
                patchBundles: ["b": try JSONParser().parse(#"{"description": null, "attributes": {"env": "stage-b"}}"#)])
            _ = try await harness.sync(options: options)
            let a = try #require(await harness.emulator.store.connectionSpecs(named: "a source").first)
            let b = try #require(await harness.emulator.store.connectionSpecs(named: "b source").first)
            #expect(a[JSONPointer("/version")] == .string("2.0"))
            #expect(a[JSONPointer("/attributes/env")] == .string("stage"))
            #expect(b[JSONPointer("/attributes/env")] == .string("stage-b"))
            #expect(b[JSONPointer("/description")] == nil)
            #expect(a[JSONPointer("/description")] == .string("a source through generic REST"))
        }
    }

    @Test("a pass's new specs are added to the flow spec in one update, verified, and recorded")
    func flowSpecRegistration() async throws {
        try await EngineHarness.with(bundles: ["a", "b"]) { harness in
            var options = SyncEngine.Options()
            options.flowSpecs = FlowSpecAssignment(defaultID: FlowServiceSettings.restStorageToAEP)
            let first = try await harness.sync(options: options)
            #expect(first.registered == [BundleID("a"), BundleID("b")])
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("PUT", "flowSpec", 200) == 1)
            #expect(statistics.count("GET", "flowSpec", 200) == 2, "one read before the update, one to verify it")
            let flowSpec = await harness.emulator.store.flowSpec(id: FlowServiceSettings.restStorageToAEP)
            let state = try #require(try harness.store.load())
            let ids = Set([state[BundleID("a")]?.id, state[BundleID("b")]?.id].compactMap { $0 }.map(JSONValue.string))
            #expect(Set(flowSpec?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue ?? []) == ids)
            #expect(state[BundleID("a")]?.flowSpec == FlowServiceSettings.restStorageToAEP)
            let second = try await harness.sync(options: options)
            #expect(second.registered.isEmpty)
            #expect(second.writes == 0)
            #expect(state.registration == FlowSpecRegistration(mapping: options.flowSpecs.fingerprint, waiting: []))
        }
    }

    @Test("a failed registration waits in the state and is tried again on the next pass, though git did not change")
    func registrationRetried() async throws {
        try await EngineHarness.with(bundles: ["a", "b"]) { harness in
            var options = SyncEngine.Options()
            options.flowSpecs = FlowSpecAssignment(defaultID: FlowServiceSettings.restStorageToAEP, bundles: ["b": "no-such-flow-spec"])
            let first = try await harness.sync(options: options)
            #expect(first.registered == [BundleID("a")])
            #expect(first.created.count == 2 && first.failed.isEmpty, "b was created: only its registration failed, counted once")
            #expect(first.registrationFailures.map(\.bundles) == [[BundleID("b")]])
            #expect(!first.isInSync)
            #expect(try harness.store.load()?.registration?.waiting == ["b"])

            let second = try await harness.sync(options: options)
            #expect(second.writes == 0)
            #expect(second.registrationFailures.map(\.bundles) == [[BundleID("b")]], "b is tried again: it waits in the state")
            #expect(second.registrationFailures.first?.reason.contains("no-such-flow-spec") == true)

            // Another assignment: every record is looked at again, and b now joins the default flow spec.
            options.flowSpecs = FlowSpecAssignment(defaultID: FlowServiceSettings.restStorageToAEP)
            let third = try await harness.sync(options: options)
            #expect(third.registered == [BundleID("b")])
            let state = try #require(try harness.store.load())
            #expect(state.registration == FlowSpecRegistration(mapping: options.flowSpecs.fingerprint, waiting: []))
            #expect(state[BundleID("b")]?.flowSpec == FlowServiceSettings.restStorageToAEP)
        }
    }

    @Test("a state that does not know what waits (written before it was kept) has every record looked at")
    func registrationFromOlderState() async throws {
        try await EngineHarness.with(bundles: ["a", "b"]) { harness in
            _ = try await harness.sync()
            #expect(try harness.store.load()?.registration == nil, "no flow spec configured: nothing is kept")
            var options = SyncEngine.Options()
            options.flowSpecs = FlowSpecAssignment(defaultID: FlowServiceSettings.restStorageToAEP)
            let second = try await harness.sync(options: options)
            #expect(second.writes == 0)
            #expect(second.registered == [BundleID("a"), BundleID("b")])
        }
    }
}
