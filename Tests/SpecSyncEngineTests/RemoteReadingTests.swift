import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncTargets
import SpecSyncTestSupport
import Testing

/// One listing or a read each: the reconciler picks by cost, and either way a pass decides the same.
@Suite("Listing or reads by id", .serialized)
struct RemoteReadingTests {
    let reconciler = Reconciler(policy: Reconciler.Policy(), resource: .connectionSpec)
    let paged = RatePolicy(maxConcurrency: 64, listingThreshold: 10, listingItemsPerRequest: 100)

    @Test("a small change in a big state is read by id; many changes, or no state, read one listing")
    func choosesByCost() {
        // 20 of 10,000: 3 rounds of reads against 100 pages of listing.
        #expect(!reconciler.readsListing(lookups: 20, recorded: 10_000, slots: 8, rate: paged))
        // 2,000 of 10,000: 250 rounds of reads against 100 pages.
        #expect(reconciler.readsListing(lookups: 2_000, recorded: 10_000, slots: 8, rate: paged))
        // A first sync: nothing recorded, one page answers every name lookup.
        #expect(reconciler.readsListing(lookups: 2_000, recorded: 0, slots: 8, rate: paged))
        #expect(reconciler.readsListing(lookups: 2, recorded: 0, slots: 8, rate: paged))
        // Under the threshold, reads always.
        #expect(!reconciler.readsListing(lookups: 9, recorded: 9, slots: 1, rate: paged))
        // A listing that is one request (no page size known) wins from the threshold on, whatever the state.
        let single = RatePolicy(maxConcurrency: 2, listingThreshold: 2)
        #expect(reconciler.readsListing(lookups: 2, recorded: 100_000, slots: 2, rate: single))
        #expect(!reconciler.readsListing(lookups: 1, recorded: 100_000, slots: 2, rate: single))
    }

    /// What a pass over the same scenario did, for comparing the two ways of reading.
    struct Pass: Equatable {
        var updated: Set<BundleID>
        var recorded: Set<BundleID>
        var failed: [BundleID: String]
        var listings: Int
        var reads: Int
        var puts: Int
    }

    /// 12 synced bundles, all changed in git; meanwhile bundle3 was edited in the console (a conflict),
    /// bundle7 deleted (missing), and bundle5 already holds git's new body from a write whose answer
    /// was never recorded (own write). One pass with `rate`'s way of reading.
    func pass(reading rate: RatePolicy) async throws -> Pass {
        let sources = (0..<12).map { "bundle\($0)" }
        return try await EngineHarness.with(bundles: sources) { harness in
            _ = try await harness.sync()
            let state = try #require(try harness.store.load())
            let ids = Dictionary(uniqueKeysWithValues: try sources.map { ($0, try #require(state[BundleID($0)]?.id)) })
            for source in sources {
                try harness.fixture.write(SampleBundle.spec(name: "\(source) source", path: "/v2/\(source)"), to: "Sources/\(source)/Artifacts/\(source)-connectionSpec.json")
            }
            try harness.fixture.commitAll("edit every bundle")
            _ = try await harness.emulator.store.editOutOfBand(id: ids["bundle3"]!, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try await harness.emulator.store.deleteOutOfBand(id: ids["bundle7"]!)
            _ = try await harness.client().replace(id: ids["bundle5"]!, with: try await harness.desiredBody("bundle5"))
            let before = await harness.emulator.store.statistics()

            let client = RatePolicyTarget(wrapped: try await harness.client(), ratePolicy: rate)
            let report = try await harness.sync(target: client)
            let after = await harness.emulator.store.statistics()
            func delta(_ method: String, _ kind: String) -> Int { after.total(method: method, kind: kind) - before.total(method: method, kind: kind) }
            return Pass(
                updated: Set(report.updated), recorded: Set(report.recorded),
                // The reason up to its timestamps, with the id taken out: the two runs have their own.
                failed: Dictionary(uniqueKeysWithValues: report.failed.map { failure in
                    (failure.bundle, String(failure.reason.replacingOccurrences(of: ids[failure.bundle.source]!, with: "ID").prefix { $0 != "(" }))
                }),
                listings: delta("GET", "connectionSpecs"), reads: delta("GET", "connectionSpec"), puts: delta("PUT", "connectionSpec"))
        }
    }

    @Test("reads by id decide as one listing does: a conflict, a deletion and an own unrecorded write")
    func sameDecisions() async throws {
        let listed = try await pass(reading: RatePolicy(maxConcurrency: 64, listingThreshold: 2))
        // 12 records at one per page: 12 pages against 3 rounds of 4 reads.
        let read = try await pass(reading: RatePolicy(maxConcurrency: 64, listingThreshold: 2, listingItemsPerRequest: 1))

        #expect(listed.listings == 1 && listed.reads == 0)
        #expect(read.listings == 0 && read.reads == 12)
        #expect(read.updated == listed.updated)
        #expect(read.updated.count == 9)
        #expect(read.recorded == listed.recorded)
        #expect(read.recorded == [BundleID("bundle5")])
        #expect(read.failed == listed.failed)
        #expect(Set(read.failed.keys) == [BundleID("bundle3"), BundleID("bundle7")])
        #expect(read.failed[BundleID("bundle3")]?.contains("was changed outside git") == true)
        #expect(read.failed[BundleID("bundle7")]?.contains("was deleted outside git") == true)
        #expect(read.puts == 9 && listed.puts == 9)
    }
}

/// The real Flow Service client with another `RatePolicy`: which way the engine reads is chosen from
/// it, every request still goes to the emulator.
struct RatePolicyTarget: SyncTarget {
    let wrapped: FlowServiceClient
    let ratePolicy: RatePolicy

    func create(_ body: ReplacementBody) async throws -> RemoteSpec { try await wrapped.create(body) }
    func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec { try await wrapped.replace(id: id, with: body) }
    func read(id: String, bundle: BundleID) async throws -> RemoteSpec? { try await wrapped.read(id: id, bundle: bundle) }
    func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] { try await wrapped.find(name: name, bundle: bundle) }
    func list(bundles: [BundleID]) async throws -> [RemoteSpec]? { try await wrapped.list(bundles: bundles) }
    var owner: SpecOwner? { wrapped.owner }
}
