import Testing
@testable import SpecSyncCore
@testable import SpecSyncConfiguration
@testable import SpecSyncJSON

@Suite("Planner")
struct PlannerTests {
    let evaluator = BundleEvaluator(layout: BundleLayout())
    let target = TargetIdentity(name: "t", kind: "flowService", identity: "emulator")

    func evaluated(_ id: String, name: String, description: String = "d") throws -> EvaluatedBundle {
        let spec = String(decoding: try Fixture.bytes("seed002-post-request.json"), as: UTF8.self)
            .replacingOccurrences(of: "MailChimp Members source\"", with: "\(name)\"")
        return evaluator.evaluate(Fixture.bundle(id, spec: spec, description: description, icon: Fixture.validIcon))
    }

    @Test("create, update, unchanged, orphan and invalid, each from its own cause")
    func actions() throws {
        let created = try evaluated("new", name: "New")
        let same = try evaluated("same", name: "Same")
        let changed = try evaluated("changed", name: "Changed")
        let broken = evaluator.evaluate(Fixture.bundle("broken", spec: "{"))
        var state = SyncState(target: target)
        state[same.id] = BundleRecord(id: "r-same", name: "Same", bodyHash: same.body!.hash)
        state[changed.id] = BundleRecord(id: "r-changed", name: "Changed", bodyHash: "0000")
        state[BundleID("gone")] = BundleRecord(id: "r-gone", name: "Gone", bodyHash: "1111")
        state[BundleID("quiet")] = BundleRecord(id: "r-quiet", name: "Quiet", bodyHash: "2222")
        state[broken.id] = BundleRecord(id: "r-broken", name: "Broken", bodyHash: "3333")

        let plan = Planner().plan(commit: "c", evaluated: [created, same, changed, broken], unchanged: [BundleID("quiet")], state: state)
        let actions = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.bundle.source, $0.action) })
        #expect(actions == ["new": .create, "same": .unchanged, "changed": .update, "broken": .invalid, "gone": .orphan, "quiet": .unchanged])
        #expect(plan.hasPendingWrites)
        #expect(plan.changes.map(\.bundle.source) == ["broken", "changed", "gone", "new", "quiet", "same"])
        #expect(plan.changes.first { $0.bundle.source == "broken" }?.remoteID == "r-broken")
        #expect(plan.changes.first { $0.bundle.source == "gone" }?.remoteID == "r-gone")
    }

    @Test("an update carries the field diff against the previous body")
    func fieldDiff() throws {
        let old = try evaluated("a", name: "Old name")
        let new = try evaluated("a", name: "New name")
        var state = SyncState(target: target)
        state[old.id] = BundleRecord(id: "r-a", bodyHash: old.body!.hash)
        let plan = Planner().plan(commit: "c", evaluated: [new], previousBodies: [old.id: old.body!.value], state: state)
        let change = try #require(plan.changes.first)
        #expect(change.action == .update)
        #expect(change.differences == [
            JSONDifference(pointer: JSONPointer("/name"), change: .changed(from: .string("Old name"), to: .string("New name")))
        ])
        #expect(change.recordedHash == old.body!.hash)
        #expect(change.desiredHash == new.body!.hash)
    }

    @Test("a failed or unconfirmed record is planned as an update even when hashes match")
    func pendingRecord() throws {
        let bundle = try evaluated("a", name: "A")
        var state = SyncState(target: target)
        state[bundle.id] = BundleRecord(id: "r-a", bodyHash: bundle.body!.hash, lastError: "HTTP 503", consecutiveFailures: 2)
        #expect(Planner().plan(commit: "c", evaluated: [bundle], state: state).changes.first?.action == .update)
    }

    @Test("a renamed bundle keeps its remote spec: an update, not a create and an orphan")
    func rename() throws {
        let moved = try evaluated("new-name", name: "A")
        var state = SyncState(target: target)
        state[BundleID("old-name")] = BundleRecord(id: "r-a", name: "A", bodyHash: moved.body!.hash)
        let plan = Planner().plan(commit: "c", evaluated: [moved], renames: [moved.id: BundleID("old-name")], state: state)
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.action == .update)
        #expect(change.remoteID == "r-a")
        #expect(change.renamedFrom == BundleID("old-name"))
    }

    @Test("without a state everything valid is a create and nothing is orphaned")
    func noState() throws {
        let plan = Planner().plan(commit: "c", evaluated: [try evaluated("a", name: "A"), try evaluated("b", name: "B")], state: nil)
        #expect(plan.count(.create) == 2)
        #expect(plan.count(.orphan) == 0)
        #expect(plan.changes.allSatisfy { ($0.differences?.count ?? 0) == 9 })
    }
}
