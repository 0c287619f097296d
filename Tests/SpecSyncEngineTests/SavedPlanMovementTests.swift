import SpecSyncCore
import SpecSyncEngine
import Testing

/// The reconciler's comparison of a saved plan with the same plan made now, and `--bundle` matching:
/// pure values, no I/O.
@Suite("saved plan movements and bundle selection")
struct SavedPlanMovementTests {
    let reconciler = Reconciler(policy: Reconciler.Policy(), resource: .connectionSpec)
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "org=o sandbox=prod")

    func plan(commit: String = "c0ffee", lineage: String? = "l1", serial: Int = 4, _ decisions: [Decision]) -> SavedPlan {
        var state: SyncState?
        if let lineage {
            state = SyncState(target: target, lineage: lineage)
            state?.serial = serial
        }
        return SavedPlan(decisions: decisions, target: target, commit: commit, state: state, selection: nil, fullScan: false)
    }

    func update(_ bundle: BundleID, hash: String = "h1", revision: String? = "1700000000000") -> Decision {
        Decision(.update, bundle: bundle, name: "\(bundle) source", remoteID: "id-\(bundle)", desiredHash: hash,
                 recordedHash: "h0", recordedRevision: "1600000000000", remoteRevision: revision)
    }

    @Test("the same plan made again has no movement; unchanged decisions are not part of a plan")
    func nothingMoved() {
        let saved = plan([update("a"), Decision(.unchanged, bundle: "b")])
        #expect(saved.entries.map(\.bundle) == ["a"])
        #expect(reconciler.movements(from: saved, to: plan([update("a")])).isEmpty)
    }

    @Test("a new commit, another serial or lineage, no state: said alone, not bundle by bundle")
    func headers() {
        let saved = plan([update("a")])
        let commit = reconciler.movements(from: saved, to: plan(commit: "beef", [update("a", hash: "h2")]))
        #expect(commit.count == 1 && commit[0].hasPrefix("a new commit: the ref is at beef now, the plan was made at c0ffee"))
        #expect(reconciler.movements(from: saved, to: plan(serial: 5, [update("a")]))
            == ["another serial: the state is at serial 5 now, the plan was made at serial 4 (written since, by a sync or a state command)"])
        #expect(reconciler.movements(from: saved, to: plan(lineage: "l2", [update("a")]))[0].hasPrefix("another state: lineage l2 now"))
        #expect(reconciler.movements(from: saved, to: plan(lineage: nil, [update("a")]))[0].contains("there is no state now"))
        #expect(reconciler.movements(from: plan(lineage: nil, [update("a")]), to: plan(lineage: nil, [update("a")])).isEmpty,
                "stateless CI: no state then, none now")
    }

    @Test("per bundle: a body hash, a remote revision, a decision, a bundle that appeared or went")
    func bundles() {
        let saved = plan([update("a"), update("b"), update("c")])
        let moved = reconciler.movements(from: saved, to: plan([
            update("a", hash: "h2"),
            update("b", revision: "1700000000001").with(kind: .conflict),
            update("d"),
        ]))
        #expect(moved.contains { $0.hasPrefix("bundle a: its body no longer matches the plan's hash") })
        #expect(moved.contains { $0.hasPrefix("bundle b: the remote connection spec id-b changed since the plan (updatedAt") })
        #expect(moved.contains("bundle b: the plan said update, now conflict"))
        #expect(moved.contains("bundle c: the plan said update, now there is nothing to do"))
        #expect(moved.contains("bundle d: not in the plan, now update"))
    }

    @Test("the JSON a plan is saved as reads back to the same plan")
    func roundTrip() throws {
        let saved = plan([update("a"), Decision(.create, bundle: "new", name: "new source", desiredHash: "h9")])
        let read = try SavedPlan(json: saved.json.prettyPrinted(), source: "p.json")
        #expect(read == saved)
        #expect(throws: SavedPlanError.self) { try SavedPlan(json: "{\"kind\": \"something else\"}", source: "p.json") }
    }

    @Test("globs match folder names and the folder a bundle was renamed from; `*` never names a hidden folder")
    func selection() {
        let selection = BundleSelection(["mailchimp-*", "acme-orders"])
        #expect(selection.contains(BundleID("mailchimp-members")))
        #expect(selection.contains(BundleID("acme-orders")))
        #expect(!selection.contains(BundleID("acme-orders-eu")))
        #expect(!BundleSelection(["*"]).contains(BundleID(".hidden")))
        #expect(selection.contains(PlannedChange(bundle: "mc-members", action: .update, renamedFrom: "mailchimp-members")))
        #expect(selection.unmatched(in: [BundleID("acme-orders")]) == ["mailchimp-*"])
    }
}

extension Decision {
    /// The same decision with another kind, as the reconciler's second step makes it.
    func with(kind: Kind) -> Decision {
        Decision(kind, bundle: bundle, name: name, remoteID: remoteID, renamedFrom: renamedFrom, desiredHash: desiredHash,
                 recordedHash: recordedHash, recordedRevision: recordedRevision, remoteRevision: remoteRevision)
    }
}
