import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncTestSupport
import Testing
@testable import SpecSyncSource

@Suite("Desired state")
struct DesiredStateResolverTests {
    let layout = BundleLayout()
    let target = TargetIdentity(name: "t", kind: "flowService", identity: "test")

    func makeRepository(_ sources: [String]) throws -> GitFixture {
        let fixture = try GitFixture()
        for source in sources { try SampleBundle.write(source, in: fixture.directory) }
        try fixture.commitAll("bundles")
        return fixture
    }

    /// The state a sync of `commit` would leave: every bundle recorded with its hash.
    func settledState(_ desired: DesiredState) -> SyncState {
        var state = SyncState(target: target)
        state.lastSyncedCommit = desired.commit.hex
        for bundle in desired.evaluated {
            state[bundle.id] = BundleRecord(id: "remote-\(bundle.id)", name: bundle.body?.name, bodyHash: bundle.body?.hash)
        }
        return state
    }

    @Test("without a state every bundle is evaluated, and the bodies match what a folder on disk gives")
    func fullScan() async throws {
        let fixture = try makeRepository(["a", "b", "c"])
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")
        let desired = try await DesiredStateResolver(repository: repository, layout: layout).resolve(commit: head, state: nil)
        #expect(desired.evaluated.map(\.id.source) == ["a", "b", "c"])
        #expect(desired.unchanged.isEmpty)
        #expect(desired.detection == .fullScan(reason: "no previous sync is recorded"))
        let problems = desired.evaluated.flatMap(\.diagnostics)
        #expect(problems.isEmpty, "\(problems)")

        let onDisk = try await DirectorySource(directory: fixture.path, layout: layout).evaluateAll(with: BundleEvaluator(layout: layout))
        #expect(onDisk.map(\.body?.hash) == desired.evaluated.map(\.body?.hash))
        // Blob ids are git's own.
        let specBlob = try fixture.git("rev-parse", "HEAD:Sources/a/Artifacts/a-connectionSpec.json")
        #expect(desired.evaluated[0].specBlobID == specBlob)
    }

    @Test("after a sync, one changed file re-reads exactly its bundle")
    func incremental() async throws {
        let fixture = try makeRepository(["a", "b", "c", "d"])
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let resolver = DesiredStateResolver(repository: repository, layout: layout)
        let first = try await resolver.resolve(commit: try await repository.resolveCommit("HEAD"), state: nil)
        let state = settledState(first)

        try fixture.write("c, better described\n", to: layout.path(of: .description, in: BundleID("c")))
        try fixture.commitAll("describe c")
        let head = try await repository.resolveCommit("HEAD")
        let second = try await resolver.resolve(commit: head, state: state)
        #expect(second.detection == .treeDiff(base: first.commit))
        #expect(second.evaluated.map(\.id) == [BundleID("c")])
        #expect(second.unchanged == [BundleID("a"), BundleID("b"), BundleID("d")])

        let plan = Planner().plan(commit: head.hex, evaluated: second.evaluated, unchanged: second.unchanged, state: state)
        // The description sidecar only fills what the spec leaves out: the sample states its own.
        #expect(plan.count(.update) + plan.count(.unchanged) == 4)
    }

    @Test("a pending or missing record is re-evaluated even when its files did not change")
    func pendingRecords() async throws {
        let fixture = try makeRepository(["a", "b", "c"])
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let resolver = DesiredStateResolver(repository: repository, layout: layout)
        let head = try await repository.resolveCommit("HEAD")
        var state = settledState(try await resolver.resolve(commit: head, state: nil))
        state[BundleID("a")]?.lastError = "HTTP 503"
        state[BundleID("b")] = nil
        let again = try await resolver.resolve(commit: head, state: state)
        #expect(again.evaluated.map(\.id.source) == ["a", "b"])
        #expect(again.unchanged == [BundleID("c")])
    }

    @Test("when the last synced commit is gone, every bundle is compared again")
    func missingBase() async throws {
        let fixture = try makeRepository(["a", "b"])
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let resolver = DesiredStateResolver(repository: repository, layout: layout)
        let head = try await repository.resolveCommit("HEAD")
        var state = settledState(try await resolver.resolve(commit: head, state: nil))
        state.lastSyncedCommit = String(repeating: "ab", count: 20)
        let again = try await resolver.resolve(commit: head, state: state)
        guard case .fullScan(let reason) = again.detection else { Issue.record("expected a full scan"); return }
        #expect(reason.contains("abababababab"))
        #expect(again.evaluated.count == 2)
        let plan = Planner().plan(commit: head.hex, evaluated: again.evaluated, state: state)
        #expect(plan.count(.unchanged) == 2)
    }

    @Test("a new bundle reusing the name of an unchanged one is an error")
    func duplicateAgainstUnchanged() async throws {
        let fixture = try makeRepository(["a"])
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let resolver = DesiredStateResolver(repository: repository, layout: layout)
        let state = settledState(try await resolver.resolve(commit: try await repository.resolveCommit("HEAD"), state: nil))
        try SampleBundle.write("copy", name: "a source", in: fixture.directory)
        try fixture.commitAll("copy a")
        let again = try await resolver.resolve(commit: try await repository.resolveCommit("HEAD"), state: state)
        #expect(again.evaluated.map(\.id.source) == ["copy"])
        #expect(again.evaluated[0].diagnostics.map(\.code) == ["duplicate-name"])
    }

    @Test("batches read ahead and evaluated on several lanes give each bundle once, in order, as one at a time does")
    func batchedAndParallel() async throws {
        let sources = (0..<11).map { $0 < 10 ? "b0\($0)" : "b\($0)" }
        let fixture = try makeRepository(sources)
        defer { fixture.cleanUp() }
        try fixture.write(#"{"name": "#, to: layout.path(of: .spec, in: BundleID("b03")))
        try fixture.commitAll("break b03")
        let repository = try GitRepository(path: fixture.path)
        let source = GitCommitSource(repository: repository, commit: try await repository.resolveCommit("HEAD"), layout: layout)
        let ids = try await source.bundleIDs()
        let evaluator = BundleEvaluator(layout: layout)
        let oneAtATime = try await source.bundles(ids).map(evaluator.evaluate)
        #expect(oneAtATime.map(\.id.source) == sources)
        #expect(oneAtATime[3].body == nil && oneAtATime[3].diagnostics.hasErrors)
        #expect(oneAtATime.filter { $0.body != nil }.count == 10)

        var batches: [[String]] = []
        var batched: [EvaluatedBundle] = []
        try await source.forEachBatch(of: ids, size: 3) { batch in
            batches.append(batch.map(\.id.source))
            batched += await evaluator.evaluateEach(batch, lanes: 2)
        }
        #expect(batches.map(\.count) == [3, 3, 3, 2])
        #expect(batches.flatMap { $0 } == sources)
        #expect(outcomes(batched) == outcomes(oneAtATime))
        for lanes in [1, 2, 3, 5, 16] {
            #expect(outcomes(await evaluator.evaluateEach(try await source.bundles(ids), lanes: lanes)) == outcomes(oneAtATime), "\(lanes) lanes")
        }
    }

    @Test("a whole repository evaluated on several lanes has the findings of one lane, a duplicate name included")
    func wholeRepositoryOnLanes() async throws {
        let fixture = try makeRepository(["a", "b", "c", "d", "e"])
        defer { fixture.cleanUp() }
        try SampleBundle.write("f", name: "a source", in: fixture.directory)
        try fixture.commitAll("f takes a's name")
        let repository = try GitRepository(path: fixture.path)
        let source = GitCommitSource(repository: repository, commit: try await repository.resolveCommit("HEAD"), layout: layout)
        let evaluator = BundleEvaluator(layout: layout)
        let bundles = try await source.bundles(try await source.bundleIDs())
        let oneLane = evaluator.evaluate(bundles)
        #expect(oneLane.filter { $0.diagnostics.map(\.code).contains("duplicate-name") }.map(\.id.source) == ["a", "f"])
        for lanes in [2, 4] {
            #expect(outcomes(await evaluator.evaluate(bundles, lanes: lanes)) == outcomes(oneLane), "\(lanes) lanes")
        }
        #expect(outcomes(try await source.evaluateAll(with: evaluator)) == outcomes(oneLane))
    }

    /// What each bundle came to: its body's hash, or none, and the codes of its findings.
    func outcomes(_ evaluated: [EvaluatedBundle]) -> [String] {
        evaluated.map { "\($0.id.source) \($0.body?.hash ?? "no body") \($0.diagnostics.map(\.code))" }
    }

    @Test("a folder on disk: uncommitted edits count, a symlinked spec is refused")
    func directorySource() async throws {
        let fixture = try makeRepository(["a", "b"])
        defer { fixture.cleanUp() }
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let secret = try outside.write(SampleBundle.spec(name: "outside"), to: "spec.json")
        let specPath = fixture.url.appendingPathComponent(layout.path(of: .spec, in: BundleID("b"))).path
        try FileManager.default.removeItem(atPath: specPath)
        try FileManager.default.createSymbolicLink(atPath: specPath, withDestinationPath: secret.path)
        try fixture.write(SampleBundle.spec(name: "a edited"), to: layout.path(of: .spec, in: BundleID("a")))

        let evaluated = try await DirectorySource(directory: fixture.path, layout: layout).evaluateAll(with: BundleEvaluator(layout: layout))
        #expect(evaluated[0].body?.name == "a edited")
        #expect(evaluated[1].diagnostics.map(\.code) == ["symlink"])
        #expect(evaluated[1].body == nil)
    }
}
