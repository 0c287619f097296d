import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// One table over the reconciler's decision kinds: `plan --format json`, then `sync --once --format
/// json`, on the real binary against the emulator, and what plan decided is what sync did — bundle
/// by bundle, kind by kind.
@Suite("plan's decisions are sync's", .serialized)
struct DecisionTableTests {
    static let secret = "emulator-secret-\(UUID().uuidString)"
    static let foreignClient = "adobe-catalogue-client"

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": Self.secret])
    }

    func decisions(_ result: ProcessResult, key: String) -> [String: String] { DecisionMap.read(result.stdout, key: key) }

    func configure(_ fixture: GitFixture, _ emulator: FlowServiceEmulator, targetLevel: [String] = []) async throws {
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 2"])
        try fixture.write("targets:\n" + target + targetLevel.map { "    " + $0 + "\n" }.joined(), to: "specsync.yaml")
    }

    func id(_ name: String, _ emulator: FlowServiceEmulator) async -> String? {
        await emulator.store.connectionSpecs(named: name).first?[JSONPointer("/id")]?.stringValue
    }

    func body(_ name: String, path: String = "/3.0/lists/${listId}/members") throws -> JSONObject {
        let parsed = try JSONParser().parse(Array(SampleBundle.spec(name: name, path: path).utf8))
        var object = try #require(parsed.objectValue)
        // What the builder adds from the sidecars, so that an out-of-band copy is the same body.
        object["name"] = .string(name)
        return object
    }

    @Test("create, adopt, record, create beside a foreign spec, update, conflict (recorded or found by name), missing, ambiguous, invalid, orphan, forget; then overwrite and prune")
    func everyDecision() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try GitFixture()
            defer { fixture.cleanUp() }
            for bundle in ["keep", "edit", "conflicted", "gone", "linked-same", "linked-diff", "linked-ours", "removed"] {
                try SampleBundle.write(bundle, in: fixture.directory)
            }
            try SampleBundle.write("never-synced", in: fixture.directory)
            try fixture.write("{ not json", to: "Sources/never-synced/Artifacts/never-synced-connectionSpec.json")
            try await configure(fixture, emulator)
            try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
            try fixture.commitAll("first bundles")
            let first = try await specsync(["sync", "--once"], in: fixture)
            #expect(first.status == 3, "never-synced is invalid: \(first.stdout)\(first.stderr)")

            // Each bundle gets its cause.
            try fixture.write(SampleBundle.spec(name: "edit source", path: "/v2/edit"), to: "Sources/edit/Artifacts/edit-connectionSpec.json")
            try fixture.write(SampleBundle.spec(name: "conflicted source", path: "/v2/conflicted"), to: "Sources/conflicted/Artifacts/conflicted-connectionSpec.json")
            let conflicted = try #require(await id("conflicted source", emulator))
            try await emulator.store.editOutOfBand(id: conflicted, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try fixture.write(SampleBundle.spec(name: "gone source", path: "/v2/gone"), to: "Sources/gone/Artifacts/gone-connectionSpec.json")
            try await emulator.store.deleteOutOfBand(id: try #require(await id("gone source", emulator)))
            let linkedDifferent = try #require(await id("linked-diff source", emulator))
            try await emulator.store.editOutOfBand(id: linkedDifferent, pointer: JSONPointer("/description"), value: .string("older text"))
            // linked-ours: changed in git, the remote still holds what this client last wrote.
            try fixture.write(SampleBundle.spec(name: "linked-ours source", path: "/v2/ours"), to: "Sources/linked-ours/Artifacts/linked-ours-connectionSpec.json")
            #expect(try await specsync(["state", "rm", "linked-same", "linked-diff", "linked-ours"], in: fixture).status == 0)
            try fixture.git("rm", "-r", "-q", "Sources/removed", "Sources/never-synced")
            for bundle in ["fresh", "beside-foreign", "ambiguous", "broken"] { try SampleBundle.write(bundle, in: fixture.directory) }
            try fixture.write("{ \"name\": 1 }", to: "Sources/broken/Artifacts/broken-connectionSpec.json")
            // A field the server owns: dropped from the body, with a warning that validate, plan and sync all show.
            try fixture.write(SampleBundle.spec(name: "fresh source", extra: #""createdAt": 1,"#), to: "Sources/fresh/Artifacts/fresh-connectionSpec.json")
            await emulator.store.createOutOfBand(try body("beside-foreign source"), client: Self.foreignClient)
            for _ in 0..<2 { await emulator.store.createOutOfBand(try body("ambiguous source"), client: configuration.clientID) }
            try fixture.commitAll("every cause")

            let expected = [
                "fresh": "create", "beside-foreign": "create", "linked-ours": "adopt", "linked-diff": "conflict", "linked-same": "record", "edit": "update",
                "conflicted": "conflict", "gone": "missing", "ambiguous": "ambiguous", "broken": "invalid",
                "removed": "orphan", "never-synced": "forget",
            ]
            let plan = try await specsync(["plan", "--format", "json"], in: fixture)
            #expect(decisions(plan, key: "changes") == expected, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains(Self.foreignClient), "the plan says who owns the other spec of that name")
            let validate = try await specsync(["validate", "--rev", "HEAD"], in: fixture)
            let warning = try #require(validate.stdout.split(separator: "\n").first { $0.contains("fresh") && $0.contains("warning") })
            let warned = try await specsync(["plan"], in: fixture)
            #expect(warned.stdout.contains("warning: ") && warned.stdout.contains("createdAt"), "validate said \(warning); plan said \(warned.stdout)")
            let sync = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(decisions(sync, key: "decisions") == expected, "\(sync.stdout)\(sync.stderr)")
            #expect(sync.status == 3)
            #expect(await emulator.store.connectionSpecs(named: "beside-foreign source").count == 2, "ours was created beside the foreign one")
            let foreign = await emulator.store.connectionSpecs(named: "beside-foreign source")
                .first { $0[JSONPointer("/createdClient")]?.stringValue == Self.foreignClient }
            #expect(foreign?[JSONPointer("/updatedClient")]?.stringValue == Self.foreignClient, "the foreign spec was never written")
            #expect(await emulator.store.connectionSpec(id: conflicted)?[JSONPointer("/description")] == .string("edited in the console"))

            // Text words for the same decisions.
            let text = try await specsync(["plan"], in: fixture)
            #expect(text.stdout.contains("! conflict conflicted"), "\(text.stdout)")
            #expect(text.stdout.contains("- orphan  removed"))

            // onConflict: overwrite and prune on: the conflict is replaced, the orphan marked (Flow Service cannot delete).
            try await configure(fixture, emulator, targetLevel: ["onConflict: overwrite", "prune:", "  enabled: true"])
            let overwrite = ["conflicted": "update", "linked-diff": "adopt", "removed": "prune"]
            let secondPlan = try await specsync(["plan", "--format", "json"], in: fixture)
            let planned = decisions(secondPlan, key: "changes").filter { overwrite.keys.contains($0.key) }
            #expect(planned == overwrite, "\(secondPlan.stdout)")
            let secondSync = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(decisions(secondSync, key: "decisions").filter { overwrite.keys.contains($0.key) } == overwrite, "\(secondSync.stdout)")
            #expect(await emulator.store.connectionSpec(id: conflicted)?[JSONPointer("/description")] == .string("conflicted source through generic REST"))
            let marked = try await specsync(["state", "show", "removed", "--format", "json"], in: fixture)
            let record = (try? JSONSerialization.jsonObject(with: Data(marked.stdout.utf8))) as? [String: Any]
            #expect((record?["orphanedAt"] as? String)?.hasPrefix("20") == true, "\(marked.stdout)")
            #expect(record?["status"] as? String == "orphan")
        }
    }
}
