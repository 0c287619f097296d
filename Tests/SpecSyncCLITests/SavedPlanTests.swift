import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// `plan --out FILE` and `sync --once --plan FILE`, run as the real binary against the emulator: a
/// saved plan is applied unchanged when nothing moved, and refused whole, naming what moved, when
/// the commit, the state's serial or lineage, a remote revision or a body hash did.
@Suite("saved plans", .serialized)
struct SavedPlanTests {
    static let bodySecret = "plan-body-secret-\(UUID().uuidString)"

    func specsync(_ arguments: [String], in fixture: GitFixture, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url,
                                         environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret].merging(environment) { $1 })
    }

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Beside the state, which git ignores: a plan file in the work tree would be committed by the next edit.
    func planFile(_ fixture: GitFixture) -> String {
        try? FileManager.default.createDirectory(atPath: fixture.path + "/.specsync", withIntermediateDirectories: true)
        return fixture.path + "/.specsync/reviewed.plan.json"
    }

    /// Plans to the plan file and returns the file's decisions by bundle.
    func savePlan(_ fixture: GitFixture, environment: [String: String] = [:]) async throws -> [String: String] {
        let result = try await specsync(["plan", "--out", planFile(fixture)], in: fixture, environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("sync --once --plan"))
        return DecisionMap.read(try String(contentsOfFile: planFile(fixture), encoding: .utf8), key: "decisions")
    }

    @Test("nothing moved: the plan is applied unchanged, the report's decisions are the plan's, the file is 0600 and holds no secret")
    func appliedUnchanged() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let planned = try await savePlan(fixture)
            #expect(planned == ["acme-orders": "create", "mailchimp-campaigns": "create", "mailchimp-members": "create"])
            let attributes = try FileManager.default.attributesOfItem(atPath: planFile(fixture))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let text = try String(contentsOfFile: planFile(fixture), encoding: .utf8)
            #expect(!text.contains(SyncCommandTests.secret))
            let saved = json(text)
            #expect(saved["kind"] as? String == "specsync-plan" && saved["formatVersion"] as? Int == 1)
            #expect(saved["commit"] as? String == (try fixture.git("rev-parse", "HEAD")).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(await emulator.store.statistics().writes == 0, "plan --out writes nothing remotely")

            let applied = try await specsync(["sync", "--once", "--plan", planFile(fixture), "--format", "json"], in: fixture)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(DecisionMap.read(applied.stdout, key: "decisions") == planned)
            #expect((json(applied.stdout)["created"] as? [String])?.sorted() == planned.keys.sorted())
            #expect(await emulator.store.connectionSpecs().count == 3)
        }
    }

    @Test("a new commit since the plan: refused whole, nothing sent")
    func newCommit() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            _ = try await savePlan(fixture)
            try fixture.write("ACME orders, relabelled\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel")
            let result = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("the saved plan is stale, nothing was applied"))
            #expect(result.stderr.contains("a new commit: the ref is at"))
            #expect(await emulator.store.statistics().writes == 0)
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"), "no state written")
        }
    }

    @Test("another serial (a sync ran since), and another lineage (another state pushed): refused, saying which")
    func serialAndLineage() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            try fixture.write("ACME orders, relabelled\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try SpecEdit.touch("mailchimp-members", in: fixture)
            try fixture.commitAll("relabel two")
            #expect(try await savePlan(fixture) == ["acme-orders": "update", "mailchimp-members": "update"])

            #expect(try await specsync(["sync", "--once", "--bundle", "acme-orders"], in: fixture).status == 0)
            let writes = await emulator.store.statistics().writes
            let serial = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture)
            #expect(serial.status == 1)
            #expect(serial.stderr.contains("another serial: the state is at serial"), "\(serial.stderr)")
            #expect(await emulator.store.statistics().writes == writes)

            _ = try await savePlan(fixture)
            let pulled = try await specsync(["state", "pull"], in: fixture)
            var state = json(pulled.stdout)
            state["lineage"] = "a-lineage-of-another-state"
            let document = fixture.url.appendingPathComponent(".specsync/other-lineage.json")
            try JSONSerialization.data(withJSONObject: state).write(to: document)
            let push = try await BlockingWork.run {
                try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" state push --force < \"$1\"", try SpecSyncBinary.path, document.path],
                                      in: fixture.url, environment: SpecSyncBinary.childEnvironment())
            }
            #expect(push.status == 0, "\(push.stderr)")
            let lineage = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture)
            #expect(lineage.status == 1)
            #expect(lineage.stderr.contains("another state: lineage a-lineage-of-another-state now"), "\(lineage.stderr)")
            #expect(await emulator.store.statistics().writes == writes)
        }
    }

    @Test("a remote changed outside git since the plan: refused, naming its updatedAt then and now")
    func remoteRevision() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            try fixture.write("ACME orders, relabelled\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel")
            #expect(try await savePlan(fixture) == ["acme-orders": "update"])
            let id = try #require(await emulator.store.connectionSpecs(named: "Acme Orders source").first?[JSONPointer("/id")]?.stringValue)
            try await Task.sleep(for: .milliseconds(5))  // updatedAt has millisecond resolution
            _ = try await emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("edited in the UI"))
            let writes = await emulator.store.statistics().writes

            let result = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("bundle acme-orders: the remote connection spec \(id) changed since the plan (updatedAt"), "\(result.stderr)")
            #expect(result.stderr.contains("the plan said update, now conflict"))
            #expect(await emulator.store.statistics().writes == writes)
        }
    }

    @Test("a body hash that no longer matches the recomputed body (a secret it references changed): refused; the secret is in no file")
    func bodyHash() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let path = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let spec = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
            try fixture.write(spec.replacingOccurrences(of: "\"Orders from the Acme commerce API\"", with: "\"Orders $(env:PLAN_BODY_SECRET)\""), to: path)
            try fixture.commitAll("a secret in the body")
            _ = try await savePlan(fixture, environment: ["PLAN_BODY_SECRET": Self.bodySecret])
            #expect(!(try String(contentsOfFile: planFile(fixture), encoding: .utf8)).contains(Self.bodySecret))

            let result = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture,
                                            environment: ["PLAN_BODY_SECRET": Self.bodySecret + "-rotated"])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("bundle acme-orders: its body no longer matches the plan's hash"), "\(result.stderr)")
            #expect(!result.stderr.contains(Self.bodySecret))
            #expect(await emulator.store.statistics().writes == 0)

            let applied = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture,
                                             environment: ["PLAN_BODY_SECRET": Self.bodySecret])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        }
    }

    @Test("a damaged plan file is refused with where and what; --out with --offline is refused")
    func damagedPlan() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            _ = try await savePlan(fixture)
            let text = try String(contentsOfFile: planFile(fixture), encoding: .utf8)
            try text.replacingOccurrences(of: "\"decisions\"", with: "\"decisionz\"").write(toFile: planFile(fixture), atomically: true, encoding: .utf8)
            let damaged = try await specsync(["sync", "--once", "--plan", planFile(fixture)], in: fixture)
            #expect(damaged.status == 1)
            #expect(damaged.stderr.contains("reviewed.plan.json at /decisions: expected an array"), "\(damaged.stderr)")
            let offline = try await specsync(["plan", "--offline", "--out", planFile(fixture)], in: fixture)
            #expect(offline.status != 0)
            #expect(offline.stderr.contains("drop --offline"))
            #expect(await emulator.store.statistics().writes == 0)
        }
    }
}
