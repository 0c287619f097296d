import SpecSyncCore

extension Reconciler {
    /// What moved between a saved plan and the same plan made now, in words; empty: the saved plan
    /// still holds and may be applied as it is. A moved commit, target or state is said alone (every
    /// decision would follow from it); otherwise each bundle whose decision, body or remote moved.
    public func movements(from saved: SavedPlan, to current: SavedPlan) -> [String] {
        var moved: [String] = []
        if saved.target.identity != current.target.identity || saved.target.kind != current.target.kind {
            moved.append("the plan is for target \(saved.target.name) (\(saved.target.identity)), this run is for \(current.target.name) (\(current.target.identity))")
        }
        if saved.commit != current.commit {
            moved.append("a new commit: the ref is at \(current.commit.prefix(12)) now, the plan was made at \(saved.commit.prefix(12))")
        }
        switch (saved.lineage, current.lineage) {
        case (nil, nil):
            break
        case (nil, let now?):
            moved.append("the state was written since the plan (lineage \(now), serial \(current.serial)); the plan was made with no state")
        case (let then?, nil):
            moved.append("the plan was made against the state of lineage \(then), serial \(saved.serial); there is no state now")
        case (let then?, let now?) where then != now:
            moved.append("another state: lineage \(now) now, the plan was made against lineage \(then) (another state's history)")
        case (_?, _?) where saved.serial != current.serial:
            moved.append("another serial: the state is at serial \(current.serial) now, the plan was made at serial \(saved.serial) (written since, by a sync or a state command)")
        default:
            break
        }
        if saved.selection != current.selection || saved.fullScan != current.fullScan {
            moved.append("the plan was made for other bundles or another scan than this run asks for")
        }
        guard moved.isEmpty else { return moved }

        let now = Dictionary(current.entries.map { ($0.bundle, $0) }, uniquingKeysWith: { first, _ in first })
        let then = Dictionary(saved.entries.map { ($0.bundle, $0) }, uniquingKeysWith: { first, _ in first })
        for bundle in Set(now.keys).union(then.keys).sorted() {
            switch (then[bundle], now[bundle]) {
            case (let planned?, nil):
                moved.append("bundle \(bundle): the plan said \(planned.decision.rawValue), now there is nothing to do")
            case (nil, let found?):
                moved.append("bundle \(bundle): not in the plan, now \(found.decision.rawValue)")
            case (let planned?, let found?):
                moved += movements(of: planned, to: found)
            case (nil, nil):
                break
            }
        }
        return moved
    }

    func movements(of planned: SavedPlan.Entry, to found: SavedPlan.Entry) -> [String] {
        guard planned != found else { return [] }
        let bundle = "bundle \(planned.bundle)"
        var moved: [String] = []
        if planned.desiredHash != found.desiredHash {
            moved.append("\(bundle): its body no longer matches the plan's hash (\(short(planned.desiredHash)) planned, \(short(found.desiredHash)) now): git, a patch or a secret that shapes it changed")
        }
        if planned.remoteRevision != found.remoteRevision || planned.remoteID != found.remoteID {
            let id = found.remoteID ?? planned.remoteID ?? "-"
            let revisions = "\(planned.remoteRevision.map(Self.describe(revision:)) ?? "none seen") in the plan, \(found.remoteRevision.map(Self.describe(revision:)) ?? "none") now"
            moved.append(planned.remoteID == found.remoteID || planned.remoteID == nil && found.remoteID == nil
                ? "\(bundle): the remote \(resource.noun) \(id) changed since the plan (\(revisions))"
                : "\(bundle): the remote \(resource.noun) is \(found.remoteID ?? "none") now, the plan saw \(planned.remoteID ?? "none") (\(revisions))")
        }
        if planned.decision != found.decision {
            moved.append("\(bundle): the plan said \(planned.decision.rawValue), now \(found.decision.rawValue)")
        }
        if moved.isEmpty {
            moved.append("\(bundle): its decision changed since the plan (\(planned.decision.rawValue): its record, name or the specs of other clients with its name moved)")
        }
        return moved
    }

    func short(_ hash: String?) -> String {
        hash.map { $0.hasPrefix("sha256:") ? String($0.prefix(19)) + "…" : String($0.prefix(12)) + "…" } ?? "none"
    }
}
