import Foundation
import SpecSyncTestSupport
import Testing

/// `specsync plan --offline`, run as the real binary against real repositories and state files.
@Suite("specsync plan --offline")
struct PlanCommandTests {
    func plan(_ fixture: GitFixture, _ extra: [String] = []) throws -> (ProcessResult, [String: Any]) {
        let result = try SpecSyncBinary.run(["plan", "--offline", "--format", "json"] + extra, in: fixture.url)
        let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result, object)
    }

    func actions(_ report: [String: Any]) -> [String: String] {
        var actions: [String: String] = [:]
        for change in report["changes"] as? [[String: Any]] ?? [] {
            actions[change["bundle"] as? String ?? "?"] = change["action"] as? String
        }
        return actions
    }

    /// Writes the state a sync of HEAD would leave, from the plan's desired hashes.
    func recordSync(_ fixture: GitFixture, _ report: [String: Any]) throws {
        var bundles: [String: Any] = [:]
        for change in report["changes"] as? [[String: Any]] ?? [] {
            guard let bundle = change["bundle"] as? String, let hash = change["desiredHash"] as? String else { continue }
            bundles[bundle] = ["id": "remote-\(bundle)", "name": change["name"] ?? NSNull(), "bodyHash": hash, "consecutiveFailures": 0]
        }
        let target = report["target"] as? [String: Any] ?? [:]
        let state: [String: Any] = [
            "schemaVersion": 1, "lineage": "test-lineage", "serial": 1,
            "target": ["name": target["name"]!, "kind": target["kind"]!, "identity": target["identity"]!],
            "lastSyncedCommit": report["commit"]!, "bundles": bundles,
        ]
        let data = try JSONSerialization.data(withJSONObject: state)
        try fixture.directory.write(data, to: ".specsync/default.state.json")
    }

    @Test("first plan creates all; after a recorded sync nothing is pending; one edit updates exactly one bundle with a field diff")
    func lifecycle() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for source in ["alpha", "beta", "gamma"] { try SampleBundle.write(source, in: fixture.directory) }
        try fixture.write(".specsync/\n", to: ".gitignore")
        try fixture.commitAll("three bundles")

        let (first, firstReport) = try plan(fixture, ["--detailed-exitcode"])
        #expect(first.status == 2, "\(first.stderr)")
        #expect(actions(firstReport) == ["alpha": "create", "beta": "create", "gamma": "create"])
        #expect(firstReport["detection"] as? String == "fullScan")

        try recordSync(fixture, firstReport)
        let (second, secondReport) = try plan(fixture, ["--detailed-exitcode"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(actions(secondReport) == ["alpha": "unchanged", "beta": "unchanged", "gamma": "unchanged"])
        #expect(secondReport["detection"] as? String == "treeDiff")

        try fixture.write(SampleBundle.spec(name: "beta source", path: "/3.0/lists/${listId}/segments"), to: "Sources/beta/Artifacts/beta-connectionSpec.json")
        try fixture.git("rm", "-r", "-q", "Sources/gamma")
        try fixture.commitAll("edit beta, remove gamma")
        let (third, thirdReport) = try plan(fixture, ["--detailed-exitcode"])
        #expect(third.status == 2)
        #expect(actions(thirdReport) == ["alpha": "unchanged", "beta": "update", "gamma": "orphan"])
        let beta = (thirdReport["changes"] as? [[String: Any]])?.first { $0["bundle"] as? String == "beta" }
        let differences = beta?["differences"] as? [[String: Any]]
        #expect(differences?.count == 1)
        #expect(differences?.first?["pointer"] as? String == "/sourceSpec/attributes/urlParams/path")
        #expect(differences?.first?["old"] as? String == "/3.0/lists/${listId}/members")
        #expect(differences?.first?["value"] as? String == "/3.0/lists/${listId}/segments")

        let text = try SpecSyncBinary.run(["plan", "--offline"], in: fixture.url)
        #expect(text.stdout.contains("~ update  beta"))
        #expect(text.stdout.contains("~ /sourceSpec/attributes/urlParams/path: \"/3.0/lists/${listId}/members\" → \"/3.0/lists/${listId}/segments\""))
        #expect(text.stdout.contains("- orphan  gamma"))
        #expect(text.stdout.contains("Plan: 0 to create, 1 to update, 1 unchanged, 1 orphaned, 0 invalid."))
    }

    @Test("--full-scan compares every bundle with its record: a record the tree diff would trust is found out")
    func fullScan() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for source in ["alpha", "beta"] { try SampleBundle.write(source, in: fixture.directory) }
        try fixture.write(".specsync/\n", to: ".gitignore")
        try fixture.commitAll("two bundles")
        let (_, firstReport) = try plan(fixture)
        try recordSync(fixture, firstReport)
        // A record that no longer matches git, as a hand edit or a restored backup would leave.
        let statePath = fixture.path + "/.specsync/default.state.json"
        let edited = try String(contentsOfFile: statePath, encoding: .utf8)
            .replacingOccurrences(of: firstReport["changes"].flatMap { ($0 as? [[String: Any]])?.first { $0["bundle"] as? String == "alpha" }?["desiredHash"] as? String } ?? "-", with: "0000")
        try edited.write(toFile: statePath, atomically: true, encoding: .utf8)

        let (_, trusting) = try plan(fixture)
        #expect(trusting["detection"] as? String == "treeDiff")
        #expect(actions(trusting) == ["alpha": "unchanged", "beta": "unchanged"])
        let (scan, scanned) = try plan(fixture, ["--full-scan", "--detailed-exitcode"])
        #expect(scan.status == 2, "\(scan.stderr)")
        #expect(scanned["detection"] as? String == "fullScan")
        #expect((scanned["detectionReason"] as? String)?.contains("--full-scan") == true)
        #expect(actions(scanned) == ["alpha": "update", "beta": "unchanged"])
    }

    @Test("an invalid bundle is shown and fails the plan; the others are still planned")
    func invalidBundle() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try SampleBundle.write("good", in: fixture.directory)
        try SampleBundle.write("bad", in: fixture.directory)
        try fixture.write("{\"name\": 1}", to: "Sources/bad/Artifacts/bad-connectionSpec.json")
        try fixture.commitAll("one bad")
        let (result, report) = try plan(fixture)
        #expect(result.status == 1)
        #expect(actions(report) == ["bad": "invalid", "good": "create"])
    }

    @Test("a state file from another target is refused, a corrupted one is reported, neither is modified")
    func foreignState() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try SampleBundle.write("alpha", in: fixture.directory)
        try fixture.commitAll("one")
        let foreign = #"{"schemaVersion":1,"lineage":"x","serial":3,"target":{"name":"default","kind":"flowService","identity":"https://elsewhere org=o sandbox=dev"},"bundles":{}}"#
        try fixture.directory.write(foreign, to: ".specsync/default.state.json")
        let (refused, _) = try plan(fixture)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("belongs to default (flowService https://elsewhere"))

        try fixture.directory.write("{\"schemaVersion\": 1,", to: ".specsync/default.state.json")
        let (corrupted, _) = try plan(fixture)
        #expect(corrupted.status == 1)
        #expect(corrupted.stderr.contains("is corrupted at 1:21"))
        #expect(try String(contentsOf: fixture.url.appendingPathComponent(".specsync/default.state.json"), encoding: .utf8) == "{\"schemaVersion\": 1,")
    }
}
