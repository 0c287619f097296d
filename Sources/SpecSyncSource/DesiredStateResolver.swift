import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON

/// Works out which bundles need their bodies computed for a pass. Level-triggered: the truth is the
/// desired hash against the recorded one; the tree diff only narrows down where to look.
public struct DesiredStateResolver: Sendable {
    public let repository: GitRepository
    public let layout: BundleLayout
    public let evaluator: BundleEvaluator

    /// Bundles whose files are held in memory at once while evaluating.
    static let batchSize = 256

    public init(repository: GitRepository, layout: BundleLayout, customization: BodyCustomization = .none) {
        self.repository = repository
        self.layout = layout
        self.evaluator = BundleEvaluator(layout: layout, customization: customization)
    }

    /// `fullScan` compares every bundle with its record even when a tree diff would do, for when the
    /// state is in doubt (`--full-scan`). `candidatesKnown` hears which bundles are about to be
    /// evaluated (in ascending order), before the evaluation starts, so that a caller can read the
    /// remote meanwhile.
    public func resolve(
        commit: ObjectID, state: SyncState?, inputsFingerprint: String? = nil, fullScan: Bool = false,
        candidatesKnown: @Sendable ([BundleID]) -> Void = { _ in }
    ) async throws -> DesiredState {
        let source = GitCommitSource(repository: repository, commit: commit, layout: layout)
        let present = SortedBundleSet(ascending: try await source.bundleIDs())
        var detection = await detectionMode(state: state)
        if let state, state.lastSyncedCommit != nil, state.inputsFingerprint != inputsFingerprint {
            detection = .fullScan(reason: "the patches or credentials that shape bodies changed; comparing every bundle")
        }
        if fullScan, case .treeDiff = detection {
            detection = .fullScan(reason: "--full-scan: comparing every bundle with its record")
        }

        // A tree the diff needs may be missing or corrupt: then every bundle is compared, and the
        // ones whose objects cannot be read fail on their own when they are read.
        var changeSet: BundleChangeSet?
        if case .treeDiff(let base) = detection {
            do {
                changeSet = try await ChangeDetector(repository: repository, layout: layout).changes(from: base, to: commit)
            } catch {
                detection = .fullScan(reason: "the tree diff failed (\(error)); comparing every bundle")
            }
        }
        var candidates: Set<BundleID>
        var renames: [BundleID: BundleID] = [:]
        if let changes = changeSet {
            renames = changes.renames
            candidates = changes.touched.filter(present.contains)
            // Recorded without proof that the remote matches (the state keeps their list), or not
            // recorded at all (a lookup, no record is read).
            for bundle in state?.bundles.pendingKeys ?? [] where present.contains(bundle) {
                candidates.insert(bundle)
            }
            candidates.formUnion(state?.bundles.unrecorded(among: present.elements) ?? present.elements)
        } else {
            candidates = Set(present)
        }
        // Both of two folders that differ only in normalization are reported, whichever changed.
        let twins = NormalizationTwins(present)
        candidates.formUnion(twins.collisions.keys)
        let ordered = candidates.sorted()
        candidatesKnown(ordered)
        var evaluated: [EvaluatedBundle] = []
        evaluated.reserveCapacity(ordered.count)
        try await source.forEachBatch(of: ordered, size: Self.batchSize) { batch in
            evaluated += await evaluator.evaluateEach(batch)
        }
        // The other bundles' names matter only where a name is new: unchanged names were checked when recorded.
        let newNames = evaluated.contains { bundle in bundle.body?.name.map { $0 != state?[bundle.id]?.name } ?? false }
        let unchanged = present.subtracting(ascending: ordered)
        let known = newNames ? knownNames(state, unchanged: unchanged) : [:]
        let catalog = CatalogValidator(layout: layout)
        catalog.addCrossBundleFindings(to: &evaluated, knownNames: known)
        catalog.addNormalizationFindings(to: &evaluated, twins: twins)
        return DesiredState(
            commit: commit, bundles: present, evaluated: evaluated,
            unchanged: unchanged, renames: renames, detection: detection)
    }

    /// The bodies at the state's base commit of the bundles about to be updated, for field diffs.
    public func previousBodies(of ids: [BundleID], at base: ObjectID) async throws -> [BundleID: JSONValue] {
        guard await repository.containsObject(base) else { return [:] }
        let source = GitCommitSource(repository: repository, commit: base, layout: layout)
        var bodies: [BundleID: JSONValue] = [:]
        for bundle in try await source.bundles(ids) {
            if let body = evaluator.evaluate(bundle).body { bodies[bundle.id] = body.value }
        }
        return bodies
    }

    func detectionMode(state: SyncState?) async -> DesiredState.Detection {
        guard let state, let hex = state.lastSyncedCommit else {
            return .fullScan(reason: "no previous sync is recorded")
        }
        guard let base = ObjectID(hex: hex), await repository.containsObject(base) else {
            return .fullScan(reason: "the last synced commit \(hex.prefix(12)) is not in the repository (force-push or shallow clone); comparing every bundle")
        }
        return .treeDiff(base: base)
    }

    /// Names of bundles that are not re-read, so a new bundle cannot silently take one of them.
    func knownNames(_ state: SyncState?, unchanged: SortedBundleSet) -> [BundleID: String] {
        var names: [BundleID: String] = [:]
        for id in unchanged {
            if let name = state?[id]?.name { names[id] = name }
        }
        return names
    }
}
