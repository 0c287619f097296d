import Foundation
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource
import SpecSyncTargets
import SpecSyncTestSupport
import Testing

/// specsync against an emulator that behaves like a real org's Flow Service: listings of 20 per
/// page, 260 specs of Adobe's catalogue (another client and org, names reused) ahead of the org's
/// own, specs of a colleague's client, awkward names, and the shared flow spec.
@Suite("Against the catalogue and paged listings")
struct CatalogueSafetyTests {
    static let catalogueSize = 260

    static var configuration: EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.catalogueSize = catalogueSize
        configuration.listPageSize = 20
        return configuration
    }

    /// Names a bundle may have that the filter syntax or the URL could get wrong.
    static let awkwardNames = [
        "comma, separated source", #"a "quoted" source"#, "x==y source", "R&D source", "Café é source",
        String(repeating: "x", count: 193) + " source",
    ]

    /// The name as a JSON string literal's content, for `SampleBundle.spec`.
    static func jsonContent(_ name: String) -> String {
        String(JSONValue.string(name).compactText.dropFirst().dropLast())
    }

    /// Writes a bundle per (source, name) into the harness's repository and commits them.
    static func addBundles(_ bundles: [(source: String, name: String)], to harness: EngineHarness) throws {
        for bundle in bundles { try SampleBundle.write(bundle.source, name: jsonContent(bundle.name), in: harness.fixture.directory) }
        _ = try harness.fixture.commitAll("named bundles")
    }

    /// Exactly one spec of specsync's own client per name, none of the catalogue touched, no 403 met.
    func expectSafe(_ harness: EngineHarness, names: [String], catalogue: [JSONValue], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let store = harness.emulator.store
        for name in names {
            let ours = await store.connectionSpecs(named: name).filter {
                $0[JSONPointer("/createdClient")] == .string(harness.configuration.clientID)
            }
            #expect(ours.count == 1, "\(name): \(ours.count) specs of our own", sourceLocation: sourceLocation)
        }
        #expect(await store.catalogueSpecs() == catalogue, "no catalogue spec was written", sourceLocation: sourceLocation)
        let statistics = await store.statistics()
        #expect(statistics.count("PUT", "connectionSpec", 403) == 0, "\(statistics.requests)", sourceLocation: sourceLocation)
        let state = try #require(try harness.store.load(), sourceLocation: sourceLocation)
        let catalogueIDs = Set(catalogue.compactMap { $0[JSONPointer("/id")]?.stringValue })
        #expect(state.bundles.values.allSatisfy { $0.id.map { !catalogueIDs.contains($0) } ?? true }, sourceLocation: sourceLocation)
    }

    @Test("a 500-bundle first sync creates 500 specs, adopts none of Adobe's, and a second pass writes nothing")
    func firstSync() async throws {
        let colliding = [("generic", "generic-rest-extension"), ("acme", "Acme Orders source"), ("members", "MailChimp Members source")]
        let sources = (0..<(500 - colliding.count)).map { String(format: "b%03d", $0) }
        try await EngineHarness.with(bundles: sources, configuration: Self.configuration) { harness in
            try Self.addBundles(colliding.map { (source: $0.0, name: $0.1) }, to: harness)
            let catalogue = await harness.emulator.store.catalogueSpecs()
            #expect(catalogue.count == Self.catalogueSize)

            let report = try await harness.sync(concurrency: 8)
            // A create whose answer is lost (a POST past the client's 10 s under a loaded machine)
            // is found by name and reads as recorded: still one spec each, which expectSafe checks.
            let recorded = report.entries.filter { $0.result == .recorded }.count
            #expect(report.created.count + recorded == 500 && report.failed.isEmpty, """
                failed: \(report.failed.map(\.reason).prefix(3)); results: \(Dictionary(grouping: report.entries, by: \.result).mapValues(\.count)); \
                stopped early: \(report.stoppedEarly) \(report.stopReason ?? "") \(report.interruption ?? "")
                """)
            #expect(report.adopted.isEmpty, "a catalogue spec with the bundle's name is not the bundle's spec")
            try await expectSafe(harness, names: sources.map { "\($0) source" } + colliding.map(\.1), catalogue: catalogue)

            let second = try await harness.sync(concurrency: 8)
            #expect(second.writes == 0)
            #expect(await harness.emulator.store.connectionSpecs().count == Self.catalogueSize + 500)
        }
    }

    @Test("a storm of lost answers (requests applied, answers dropped) converges with no duplicate and no catalogue write")
    func lostAnswerStorm() async throws {
        var configuration = Self.configuration
        configuration.faults.seed = 23
        configuration.faults.dropRate = 0.25
        let sources = (0..<40).map { "storm\($0)" }
        let named = [("generic", "generic-rest-extension"), ("alpha", "alpha source")]
            + Self.awkwardNames.enumerated().map { ("awkward\($0.offset)", $0.element) }
        try await EngineHarness.with(bundles: sources, configuration: configuration) { harness in
            try Self.addBundles(named.map { (source: $0.0, name: $0.1) }, to: harness)
            let catalogue = await harness.emulator.store.catalogueSpecs()
            let report = try await harness.syncUntilInSync(maxPasses: 12)
            #expect(report.isInSync, "\(report.failed.map(\.reason).prefix(3))")
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.droppedWrites > 0, "the storm did lose answers to writes")
            try await expectSafe(harness, names: sources.map { "\($0) source" } + named.map(\.1), catalogue: catalogue)
        }
    }

    @Test("awkward names are created once, found again after a lost answer, and adopted", arguments: awkwardNames)
    func awkwardName(_ name: String) async throws {
        try await EngineHarness.with(bundles: ["plain"], configuration: Self.configuration) { harness in
            try Self.addBundles([(source: "awkward", name: name)], to: harness)
            let catalogue = await harness.emulator.store.catalogueSpecs()
            let client = try await harness.client()

            // A POST that landed but whose answer was lost: the spec exists, the state knows nothing.
            let landed = try await client.create(try await harness.desiredBody("awkward"))
            let found = try await client.connectionSpecs(named: name)
            #expect(found.map(\.id) == [landed.id], "the lookup finds exactly the name")

            // Adopting links it, by exact name.
            let evaluated = [try await harness.evaluated("awkward")]
            let outcomes = try await SpecAdopter(target: client).outcomes(for: evaluated, state: nil)
            #expect(outcomes.map(\.result) == [.adopted])
            #expect(outcomes.first?.remote?.id == landed.id)

            // The next pass looks before it POSTs: the spec already holds git's body, so it is
            // recorded without a write, not created twice.
            let report = try await harness.sync()
            #expect(report.recorded == [BundleID("awkward")])
            #expect(report.created == [BundleID("plain")])
            #expect(try harness.store.load()?[BundleID("awkward")]?.id == landed.id)
            try await expectSafe(harness, names: [name, "plain source"], catalogue: catalogue)
        }
    }

    @Test("a bundle named like a catalogue spec or a colleague's spec gets its own; adopt links a colleague's only when asked, Adobe's never")
    func foreignSpecs() async throws {
        try await EngineHarness.with(bundles: [], configuration: Self.configuration) { harness in
            try Self.addBundles([(source: "acme", name: "Acme Orders source"), (source: "shared", name: "Shared source")], to: harness)
            let store = harness.emulator.store
            let catalogue = await store.catalogueSpecs()
            let adobes = try #require(await store.connectionSpecs(named: "Acme Orders source").first?[JSONPointer("/id")]?.stringValue)
            let body = try await harness.desiredBody("shared")
            guard case .object(let object) = body.value else { throw HarnessError("not an object") }
            let colleagues = try #require(await store.createOutOfBand(object, client: "colleague-client")[JSONPointer("/id")]?.stringValue)
            let client = try await harness.client()
            let evaluated = [try await harness.evaluated("acme"), try await harness.evaluated("shared")]

            let plain = try await SpecAdopter(target: client).outcomes(for: evaluated, state: nil)
            #expect(plain.map(\.result) == [.notFound, .notFound])
            #expect(plain[0].candidates == [adobes])
            #expect(plain[0].reason.contains("ADOBECATALOGUE"), "\(plain[0].reason)")
            #expect(plain[1].reason.contains("colleague-client") && plain[1].reason.contains("--include-foreign"), "\(plain[1].reason)")

            let asked = try await SpecAdopter(target: client, includeForeign: true).outcomes(for: evaluated, state: nil)
            #expect(asked.map(\.result) == [.notFound, .adopted], "Adobe's spec is another org's: never linked")
            #expect(asked[1].remote?.id == colleagues)

            let before = await store.connectionSpec(id: colleagues)
            let report = try await harness.sync()
            #expect(Set(report.created) == [BundleID("acme"), BundleID("shared")])
            #expect(await store.connectionSpec(id: colleagues) == before, "the colleague's spec is not written")
            #expect(await store.catalogueSpecs() == catalogue)
            let state = try #require(try harness.store.load())
            #expect(state[BundleID("acme")]?.id != adobes)
            #expect(state[BundleID("shared")]?.id != colleagues)
        }
    }

    @Test("registering 50 new specs leaves every other field of the flow spec byte-identical to the seed")
    func registrationKeepsTheFlowSpec() async throws {
        let sources = (0..<50).map { "reg\($0)" }
        try await EngineHarness.with(bundles: sources, configuration: Self.configuration) { harness in
            let flowSpecID = FlowServiceSettings.restStorageToAEP
            let seed = try #require(await harness.emulator.store.flowSpec(id: flowSpecID))
            var options = SyncEngine.Options()
            options.flowSpecs = FlowSpecAssignment(defaultID: flowSpecID)
            let report = try await harness.sync(options: options)
            #expect(report.registered.count == 50)
            let after = try #require(await harness.emulator.store.flowSpec(id: flowSpecID))

            func rest(_ value: JSONValue) -> [UInt8] {
                guard case .object(var object) = value else { return [] }
                for field in ["sourceConnectionSpecIds", "updatedAt", "updatedBy", "updatedClient"] { object[field] = nil }
                return JSONValue.object(object).canonicalBytes
            }
            #expect(rest(after) == rest(seed))
            #expect(after[JSONPointer("/permissionsInfo")] == seed[JSONPointer("/permissionsInfo")])
            #expect(after[JSONPointer("/transformationSpecs")] == seed[JSONPointer("/transformationSpecs")])
            let state = try #require(try harness.store.load())
            let ids = Set(sources.compactMap { state[BundleID($0)]?.id })
            #expect(Set((after[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue ?? []).compactMap(\.stringValue)) == ids)
        }
    }

    @Test("a missing spec reads as deleted outside git whichever form the service answers in", arguments: MissingSpecAnswer.allCases)
    func notFoundForms(_ answer: MissingSpecAnswer) async throws {
        var configuration = EmulatorConfiguration()
        configuration.missingSpecAnswer = answer
        try await EngineHarness.with(bundles: ["gone"], configuration: configuration) { harness in
            let first = try await harness.sync()
            let id = try #require(try harness.store.load()?[BundleID("gone")]?.id)
            #expect(first.created == [BundleID("gone")])
            try await harness.emulator.store.deleteOutOfBand(id: id)
            let client = try await harness.client()
            #expect(try await client.connectionSpec(id: id) == nil)

            try harness.fixture.directory.write(SampleBundle.spec(name: "gone source", path: "/v2/changed"),
                                                to: "Sources/gone/Artifacts/gone-connectionSpec.json")
            _ = try harness.fixture.commitAll("change")
            let report = try await harness.sync()
            #expect(report.failed.map(\.bundle) == [BundleID("gone")])
            #expect(report.failed.first?.reason.contains("was deleted outside git") == true, "\(report.failed.first?.reason ?? "")")
        }
    }
}

extension EngineHarness {
    /// The bundle `source` at HEAD as `adopt` evaluates it.
    func evaluated(_ source: String) async throws -> EvaluatedBundle {
        let repository = try GitRepository(path: fixture.path)
        let commit = try await repository.resolveCommit("HEAD")
        let bundle = try await GitCommitSource(repository: repository, commit: commit, layout: BundleLayout()).bundles([BundleID(source)])[0]
        return BundleEvaluator(layout: BundleLayout()).evaluate(bundle)
    }
}

@Suite("A write refused for one spec")
struct ResourceRefusalTests {
    @Test("a state that links a catalogue spec (an older specsync's adoption): its PUT's platform 403 fails that bundle only; the pass goes on")
    func refusedWriteFailsOneBundle() async throws {
        try await EngineHarness.with(bundles: ["alpha", "beta"], configuration: CatalogueSafetyTests.configuration) { harness in
            _ = try await harness.sync()
            let catalogueSpec = try #require(await harness.emulator.store.catalogueSpecs().first?[JSONPointer("/id")]?.stringValue)
            // Link alpha to Adobe's spec, as a state written before ownership was checked could.
            var state = try #require(try harness.store.load())
            var record = try #require(state[BundleID("alpha")])
            record.id = catalogueSpec
            record.revision = nil
            record.updatedAt = nil
            state[BundleID("alpha")] = record
            try harness.store.save(state)
            for source in ["alpha", "beta"] {
                try harness.fixture.write(SampleBundle.spec(name: "\(source) source", path: "/v2/\(source)"), to: "Sources/\(source)/Artifacts/\(source)-connectionSpec.json")
            }
            _ = try harness.fixture.commitAll("edit both")

            let report = try await harness.sync()
            #expect(report.updated == [BundleID("beta")], "the pass went on")
            #expect(report.failed.map(\.bundle) == [BundleID("alpha")])
            #expect(report.failed.first?.reason.contains("403") == true, "\(report.failed)")
        }
    }
}
