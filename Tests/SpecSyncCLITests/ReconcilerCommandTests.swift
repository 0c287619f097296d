import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// The reconciler's decisions as users meet them, on the real binary against the emulator: what
/// `plan` says is what `sync` does, in the cases that broke trust before (a delete and an add from
/// one template, a write that lands after its client died, names that differ only in Unicode
/// normalization, a state moved behind a proxy).
@Suite("the reconciler: plan and sync decide alike", .serialized)
struct ReconcilerCommandTests {
    static let secret = "emulator-secret-\(UUID().uuidString)"

    static func configuration() -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = secret
        return configuration
    }

    /// A repository of `bundles` (folder → spec name) made from one template, configured for `emulator`.
    static func repository(_ bundles: [(String, String)], emulator: FlowServiceEmulator, settings: [String] = []) async throws -> GitFixture {
        let fixture = try GitFixture()
        for (folder, name) in bundles { try SampleBundle.write(folder, name: name, in: fixture.directory) }
        try await writeConfiguration(fixture, emulator: emulator, settings: settings)
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("bundles")
        return fixture
    }

    static func writeConfiguration(_ fixture: GitFixture, emulator: FlowServiceEmulator, settings: [String] = [], baseURL: String? = nil) async throws {
        var target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 2"] + settings)
        if let baseURL, let real = try? await emulator.baseURL {
            target = target.replacingOccurrences(of: "baseURL: \(real)", with: "baseURL: \(baseURL)")
        }
        try fixture.write("targets:\n" + target, to: "specsync.yaml")
    }

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": Self.secret])
    }

    func json(_ result: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }


    /// `plan --format json`, then `sync --once --format json`: both results, and the two decision maps.
    func planThenSync(_ fixture: GitFixture, extra: [String] = []) async throws -> (plan: [String: String], sync: [String: String], syncReport: [String: Any], status: Int32) {
        let plan = try await specsync(["plan", "--format", "json"], in: fixture)
        #expect(plan.status == 0 || plan.status == 1, "\(plan.stdout)\(plan.stderr)")
        let sync = try await specsync(["sync", "--once", "--format", "json"] + extra, in: fixture)
        return (DecisionMap.read(plan.stdout, key: "changes"), DecisionMap.read(sync.stdout, key: "decisions"), json(sync), sync.status)
    }

    static func template(_ index: Int) -> (String, String) {
        let number = String(format: "%05d", index)
        return ("src-\(number)", "Source \(number)")
    }

    @Test("a bundle deleted and another added from the same template in one commit: a create and an orphan, never a PUT over the deleted one's spec")
    func deleteAndAddAreNotARename() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository((0..<12).map(Self.template), emulator: emulator)
            defer { fixture.cleanUp() }
            let first = try await specsync(["sync", "--once"], in: fixture)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let third = try #require(await emulator.store.connectionSpecs(named: "Source 00002").first?[JSONPointer("/id")]?.stringValue)

            let (folder, name) = Self.template(12)
            try SampleBundle.write(folder, name: name, in: fixture.directory)
            try fixture.git("rm", "-r", "-q", "Sources/src-00002")
            try fixture.commitAll("add src-00012, remove src-00002")
            let before = await emulator.store.statistics()

            let (plan, sync, report, status) = try await planThenSync(fixture)
            #expect(plan == ["src-00012": "create", "src-00002": "orphan"])
            #expect(sync == plan, "sync did what plan said")
            #expect(status == 0)
            #expect((report["orphaned"] as? [String]) == ["src-00002"])
            let after = await emulator.store.statistics()
            #expect(after.count("POST", "connectionSpecs", 201) - before.count("POST", "connectionSpecs", 201) == 1)
            #expect(after.total(method: "PUT", kind: "connectionSpec") == before.total(method: "PUT", kind: "connectionSpec"))
            #expect(await emulator.store.connectionSpec(id: third)?[JSONPointer("/name")] == .string("Source 00002"),
                    "the deleted bundle's spec is untouched")
        }
    }

    @Test("a folder renamed with its spec name unchanged keeps its remote spec, even when git does not see a rename")
    func folderRenameFollowsTheName() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha"), ("beta", "Beta")], emulator: emulator)
            defer { fixture.cleanUp() }
            _ = try await specsync(["sync", "--once"], in: fixture)
            let alpha = try #require(await emulator.store.connectionSpecs(named: "Alpha").first?[JSONPointer("/id")]?.stringValue)
            // New folder, new file names and a changed path: far below git's similarity threshold.
            try fixture.git("rm", "-r", "-q", "Sources/alpha")
            try fixture.write(SampleBundle.spec(name: "Alpha", path: "/v9/entirely/different/${listId}", extra: #""labels": ["x"],"#),
                              to: "Sources/alpha-two/Artifacts/alpha-two-connectionSpec.json")
            try fixture.write("alpha label\n", to: "Sources/alpha-two/Artifacts/alpha-two-label.txt")
            try fixture.write("alpha description\n", to: "Sources/alpha-two/Artifacts/alpha-two-description.txt")
            try fixture.write("marketingAutomation\n", to: "Sources/alpha-two/Artifacts/alpha-two-category.txt")
            try fixture.write(SampleBundle.icon, to: "Sources/alpha-two/Artifacts/alpha-two-icon.svg")
            try fixture.commitAll("rename alpha's folder")
            let before = await emulator.store.statistics()

            let (plan, sync, report, status) = try await planThenSync(fixture)
            #expect(plan == ["alpha-two": "update"])
            #expect(sync == plan)
            #expect(status == 0, "\(report)")
            let after = await emulator.store.statistics()
            #expect(after.count("POST", "connectionSpecs", 201) == before.count("POST", "connectionSpecs", 201), "no new spec")
            #expect(await emulator.store.connectionSpecs(named: "Alpha").count == 1)
            let state = try await specsync(["status", "--format", "json"], in: fixture)
            let bundles = json(state)["bundles"] as? [[String: Any]] ?? []
            #expect(bundles.first { $0["bundle"] as? String == "alpha-two" }?["id"] as? String == alpha)
            #expect(!bundles.contains { $0["bundle"] as? String == "alpha" }, "the record moved with the folder")
        }
    }

    @Test("a PUT that the server finishes after its client was killed is specsync's own write: the next change is not a false conflict")
    func lateWriteOfAKilledRun() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha")], emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)

            try fixture.write(SampleBundle.spec(name: "Alpha", path: "/v2/members"), to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try fixture.commitAll("edit alpha")
            var held = FaultPlan()
            held.lateWriteRate = 1
            held.lateWriteMilliseconds = 4000
            await emulator.setFaults(held)
            // The run's PUT is held by the server; the run is killed while it waits.
            let process = try ChildProcess(
                try SpecSyncBinary.path, ["sync", "--once"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment(["EMULATOR_CLIENT_SECRET": Self.secret]))
            let deadline = Date().addingTimeInterval(20)
            while await emulator.store.statistics().total(method: "PUT", kind: "connectionSpec") == 0 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            // The PUT has arrived and is held: the run is killed while the server holds it.
            #expect(await emulator.store.statistics().total(method: "PUT", kind: "connectionSpec") == 1, "the killed run's PUT reached the server")
            process.signal(SIGKILL)
            await process.exited()
            await emulator.setFaults(FaultPlan())

            // The next run sends the same body and records its answer; then the killed run's PUT lands.
            let restarted = try await specsync(["sync", "--once"], in: fixture)
            #expect(restarted.status == 0, "\(restarted.stdout)\(restarted.stderr)")
            try await Task.sleep(for: .milliseconds(4500))

            try fixture.write(SampleBundle.spec(name: "Alpha", path: "/v3/members"), to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try fixture.commitAll("edit alpha again")
            let (plan, sync, report, status) = try await planThenSync(fixture)
            #expect(plan == ["alpha": "update"], "\(report)")
            #expect(sync == plan)
            #expect(status == 0, "not refused as a change outside git: \(report)")
        }
    }

    @Test("two bundle folders whose names differ only in Unicode normalization are an error naming both, in validate, plan and sync")
    func normalizationTwins() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let composed = "caf\u{E9}"
            let decomposed = "cafe\u{301}"
            let fixture = try await Self.repository([(composed, "Cafe composed"), (decomposed, "Cafe decomposed"), ("plain", "Plain")], emulator: emulator)
            defer { fixture.cleanUp() }
            let listed = try fixture.git("ls-files", "-z", "Sources")
            #expect(listed.split(separator: "\0").filter { $0.hasSuffix("-connectionSpec.json") }.count == 3, "git keeps both folders")

            let validate = try await specsync(["validate", "--rev", "HEAD"], in: fixture)
            #expect(validate.status == 1, "\(validate.stdout)\(validate.stderr)")
            #expect(validate.stdout.contains("caf\\u{e9}") && validate.stdout.contains("cafe\\u{301}"), "\(validate.stdout)")

            // Keyed by bytes: Swift's String keys would merge the twins.
            func byBytes(_ report: [String: Any], _ key: String) -> [[UInt8]: String] {
                var decisions: [[UInt8]: String] = [:]
                for entry in report[key] as? [[String: Any]] ?? [] {
                    if let bundle = entry["bundle"] as? String, let decision = entry["decision"] as? String { decisions[Array(bundle.utf8)] = decision }
                }
                return decisions
            }
            let plan = byBytes(json(try await specsync(["plan", "--format", "json"], in: fixture)), "changes")
            let sync = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            let expected: [[UInt8]: String] = [Array(composed.utf8): "invalid", Array(decomposed.utf8): "invalid", Array("plain".utf8): "create"]
            #expect(plan == expected)
            #expect(byBytes(json(sync), "decisions") == expected)
            #expect(sync.status == 3)
            #expect(await emulator.store.connectionSpecs().count == 1, "neither twin was sent")
        }
    }

    @Test("a state moved behind another address of the same account is kept; another sandbox is refused with the command that re-binds it")
    func stateIdentityIsTheAccount() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha")], emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let base = try await emulator.baseURL
            // The same emulator under another host name, as a proxy or a new DNS name would give it.
            try await Self.writeConfiguration(fixture, emulator: emulator,
                                              baseURL: base.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/data/foundation/flowservice")
            let moved = try await specsync(["sync", "--once"], in: fixture)
            #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
            #expect(moved.stdout.contains("0 created, 0 updated, 1 unchanged"))

            try await Self.writeConfiguration(fixture, emulator: emulator)
            let configuration = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            try fixture.write(configuration.replacingOccurrences(of: "sandbox: \(Self.configuration().sandbox)", with: "sandbox: elsewhere"), to: "specsync.yaml")
            let other = try await specsync(["sync", "--once"], in: fixture)
            #expect(other.status == 1)
            #expect(other.stderr.contains("specsync state rebind --target emulator"), "\(other.stderr)")
            let rebind = try await specsync(["state", "rebind"], in: fixture)
            #expect(rebind.status == 0, "\(rebind.stdout)\(rebind.stderr)")
            let status = try await specsync(["status"], in: fixture)
            #expect(status.status == 0 && status.stdout.contains("sandbox=elsewhere"), "\(status.stdout)\(status.stderr)")
        }
    }

    @Test("state list, show, mv and rm change records through the recorder and never touch the remote; a spec deleted outside git is created again after `state rm`")
    func stateVerbs() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha"), ("beta", "Beta")], emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let writes = await emulator.store.statistics().writes

            let list = try await specsync(["state", "list", "--format", "json"], in: fixture)
            let listed = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []
            #expect(listed.map { $0["bundle"] as? String } == ["alpha", "beta"])
            #expect(listed.allSatisfy { $0["status"] as? String == "in sync" })
            let show = try await specsync(["state", "show", "alpha"], in: fixture)
            let alpha = try #require(await emulator.store.connectionSpecs(named: "Alpha").first?[JSONPointer("/id")]?.stringValue)
            #expect(show.stdout.contains("id: \"\(alpha)\""), "\(show.stdout)")
            #expect(try await specsync(["state", "show", "nope"], in: fixture).status == 1)

            #expect(try await specsync(["state", "mv", "alpha", "beta"], in: fixture).status == 1, "beta has a record of its own")
            #expect(try await specsync(["state", "mv", "alpha", "gamma"], in: fixture).status == 0)
            let moved = try await specsync(["state", "list"], in: fixture)
            #expect(moved.stdout.contains("gamma\t\(alpha)") && !moved.stdout.contains("alpha\t"), "\(moved.stdout)")
            #expect(try await specsync(["state", "mv", "gamma", "alpha"], in: fixture).status == 0)
            #expect(await emulator.store.statistics().writes == writes, "the remote was not touched")

            // Deleted outside git: refused as missing until its record is forgotten, then created again.
            try await emulator.store.deleteOutOfBand(id: alpha)
            try fixture.write(SampleBundle.spec(name: "Alpha", path: "/v2/alpha"), to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try fixture.commitAll("edit alpha")
            let refused = try await specsync(["sync", "--once"], in: fixture)
            #expect(refused.status == 3)
            #expect(refused.stdout.contains("was deleted outside git") && refused.stdout.contains("specsync state rm"), "\(refused.stdout)")
            #expect(try await specsync(["state", "rm", "alpha"], in: fixture).status == 0)
            let again = try await specsync(["sync", "--once"], in: fixture)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(await emulator.store.connectionSpecs(named: "Alpha").count == 1)
        }
    }

    @Test("state pull prints the whole state; push puts it back, refusing an older serial or another lineage unless --force; unlock refuses a live holder")
    func pullPushUnlock() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha"), ("beta", "Beta")], emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let pulled = try await specsync(["state", "pull"], in: fixture)
            #expect(pulled.status == 0)
            let saved = fixture.url.appendingPathComponent("pulled.json")
            try Data(pulled.stdout.utf8).write(to: saved)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(pulled.stdout.utf8)) as? [String: Any])
            #expect((document["bundles"] as? [String: Any])?.keys.sorted() == ["alpha", "beta"])

            func push(_ file: URL, _ extra: String = "") throws -> ProcessResult {
                try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" state push \(extra) < \"$1\"", try SpecSyncBinary.path, file.path],
                                      in: fixture.url, environment: SpecSyncBinary.childEnvironment())
            }
            #expect(try await specsync(["state", "rm", "alpha"], in: fixture).status == 0)
            let stale = try push(saved)
            #expect(stale.status == 1 && stale.stderr.contains("older than"), "\(stale.stderr)")
            let forced = try push(saved, "--force")
            #expect(forced.status == 0, "\(forced.stderr)")
            let listed = try await specsync(["state", "list"], in: fixture)
            #expect(listed.stdout.contains("alpha\t"), "alpha's record is back: \(listed.stdout)")

            var other = document
            other["lineage"] = "another-lineage"
            other["checksum"] = nil
            let otherFile = fixture.url.appendingPathComponent("other.json")
            try JSONSerialization.data(withJSONObject: other).write(to: otherFile)
            let foreign = try push(otherFile)
            #expect(foreign.status == 1 && foreign.stderr.contains("lineage another-lineage"), "\(foreign.stderr)")

            // This test process holds the lock, as a running sync would.
            let lockPath = fixture.url.appendingPathComponent(".specsync/emulator.state.json.lock").path
            let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
            #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            let refused = try await specsync(["state", "unlock"], in: fixture)
            #expect(refused.status == 1 && refused.stderr.contains("unlock refuses a live holder"), "\(refused.stderr)")
            close(descriptor)
            let free = try await specsync(["state", "unlock"], in: fixture)
            #expect(free.status == 0 && free.stdout.contains("is not held"), "\(free.stdout)\(free.stderr)")
        }
    }

    @Test("the state verbs that write answer --format json with the serial, lineage and bundles they changed, and a JSON error when they refuse")
    func writeVerbsInJSON() async throws {
        try await withFlowServiceEmulator(Self.configuration()) { emulator in
            let fixture = try await Self.repository([("alpha", "Alpha"), ("beta", "Beta")], emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let before = json(try await specsync(["state", "pull"], in: fixture))
            let serial = try #require(before["serial"] as? Int)

            let moved = try await specsync(["state", "mv", "alpha", "gamma", "--format", "json"], in: fixture)
            #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
            let move = json(moved)
            #expect(move["formatVersion"] as? Int == 1 && move["verb"] as? String == "mv")
            #expect(move["from"] as? String == "alpha" && move["to"] as? String == "gamma")
            #expect(move["lineage"] as? String == before["lineage"] as? String)
            let movedSerial = try #require(move["serial"] as? Int)
            #expect(movedSerial > serial)

            let removed = json(try await specsync(["state", "rm", "gamma", "beta", "--format", "json"], in: fixture))
            #expect(removed["verb"] as? String == "rm" && removed["bundles"] as? [String] == ["gamma", "beta"])
            #expect((removed["serial"] as? Int ?? 0) > movedSerial)
            #expect((removed["state"] as? String)?.hasSuffix(".specsync/emulator.state.json") == true, "\(removed)")

            // A refusal: exit 1, the words on standard error, and a JSON object saying the same on standard output.
            let missing = try await specsync(["state", "rm", "nope", "--format", "json"], in: fixture)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("has no record for nope"), "\(missing.stderr)")
            let error = json(missing)
            #expect(error["verb"] as? String == "rm" && (error["error"] as? String)?.contains("has no record for nope") == true, "\(missing.stdout)")

            let unlock = json(try await specsync(["state", "unlock", "--format", "json"], in: fixture))
            #expect(unlock["verb"] as? String == "unlock" && unlock["lock"] as? String == "free", "\(unlock)")
            let rebind = json(try await specsync(["state", "rebind", "--format", "json"], in: fixture))
            #expect(rebind["verb"] as? String == "rebind" && (rebind["account"] as? String)?.contains("sandbox=") == true, "\(rebind)")

            let saved = fixture.url.appendingPathComponent("pulled.json")
            try Data(try await specsync(["state", "pull"], in: fixture).stdout.utf8).write(to: saved)
            let pushed = try ProcessRunner.run(
                "/bin/sh", ["-c", "\"$0\" state push --format json < \"$1\"", try SpecSyncBinary.path, saved.path],
                in: fixture.url, environment: SpecSyncBinary.childEnvironment())
            let push = json(pushed)
            #expect(pushed.status == 0 && push["verb"] as? String == "push" && push["bundles"] as? [String] == [], "\(pushed.stdout)\(pushed.stderr)")
        }
    }
}
