import Foundation
import SpecSyncCore
import SpecSyncEngine
import SpecSyncTargets
import SpecSyncTestSupport
import Synchronization
import Testing

/// The listing read while the bundles are evaluated: asked for with the bundles about to be
/// evaluated (so before any decision exists), only where they are creates, and failing exactly as a
/// listing read after the evaluation fails.
@Suite("The listing read ahead of the decisions", .serialized)
struct ListingAheadTests {
    @Test("a first sync asks for its one listing with every bundle about to be evaluated, the invalid one too")
    func firstSyncReadsAhead() async throws {
        try await EngineHarness.with(bundles: ["alpha", "beta", "gamma"]) { harness in
            try harness.fixture.write("{\"name\": ", to: "Sources/broken/Artifacts/broken-connectionSpec.json")
            try harness.fixture.commitAll("a bundle whose spec is not JSON")
            let target = ListingProbe(wrapped: try await harness.client())

            let report = try await harness.sync(target: target)
            #expect(report.created == [BundleID("alpha"), BundleID("beta"), BundleID("gamma")])
            #expect(report.invalid.map(\.bundle) == [BundleID("broken")])
            // Decisions would have asked for the three creates; the evaluation's candidates are four.
            #expect(target.listings == [["alpha", "beta", "broken", "gamma"].map { BundleID($0) }])
            #expect(target.finds == 0, "every name was looked up in the listing")
        }
    }

    @Test("a full scan of recorded bundles reads no listing ahead: it finds them unchanged and looks nothing up")
    func fullScanReadsNothing() async throws {
        try await EngineHarness.with(bundles: ["alpha", "beta", "gamma"]) { harness in
            _ = try await harness.sync()
            let target = ListingProbe(wrapped: try await harness.client())
            var options = SyncEngine.Options()
            options.fullScan = true

            let report = try await harness.sync(target: target, options: options)
            #expect(report.isInSync && report.writes == 0 && report.unchanged == 3)
            #expect(target.listings.isEmpty)
            #expect(target.finds == 0 && target.reads == 0)
        }
    }

    @Test("one create looks its name up on its own: no listing is read ahead for it")
    func oneCreateReadsByName() async throws {
        try await EngineHarness.with(bundles: ["alpha"]) { harness in
            let target = ListingProbe(wrapped: try await harness.client())
            let report = try await harness.sync(target: target)
            #expect(report.created == [BundleID("alpha")])
            #expect(target.listings.isEmpty && target.finds == 1)
        }
    }

    @Test("a listing read ahead that fails is handled as one read after the evaluation: refused, unreadable, down")
    func failuresAsBefore() async throws {
        let url = "http://127.0.0.1/data/foundation/flowservice/connectionSpecs"
        // Refused: the pass stops before any write, as for any refused identity.
        try await EngineHarness.with(bundles: ["alpha", "beta"]) { harness in
            let refused = RequestError.api(APIError.parse(method: "GET", url: url, response: TransportResponse(status: 401)))
            let target = ListingProbe(wrapped: try await harness.client(), failure: refused)
            let error = await #expect(throws: PassInterrupted.self) { try await harness.sync(target: target) }
            #expect(error?.cause is AuthenticationError)
            #expect(error?.report.writes == 0)
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
        // Unreadable: each name is looked up on its own, and both are created.
        try await EngineHarness.with(bundles: ["alpha", "beta"]) { harness in
            let unreadable = RequestError.invalidResponse(method: "GET", url: url, reason: "the body is not JSON")
            let target = ListingProbe(wrapped: try await harness.client(), failure: unreadable)
            let report = try await harness.sync(target: target)
            #expect(report.created == [BundleID("alpha"), BundleID("beta")])
            #expect(target.listings.count == 1 && target.finds == 2)
        }
        // Down after its retries: the creates fail with the listing's reason rather than each
        // trying the same outage, and nothing is written.
        try await EngineHarness.with(bundles: ["alpha", "beta"]) { harness in
            let down = RequestError.api(APIError.parse(method: "GET", url: url, response: TransportResponse(status: 503)))
            let target = ListingProbe(wrapped: try await harness.client(), failure: down)
            let report = try await harness.sync(target: target)
            #expect(report.failed.map(\.bundle) == [BundleID("alpha"), BundleID("beta")])
            #expect(report.failed.allSatisfy { $0.reason.contains("could not read the target's listing") && $0.reason.contains("HTTP 503") })
            #expect(target.finds == 0)
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
    }
}

/// The real Flow Service client, with what the engine asked of its listing and lookups on record;
/// `failure` makes the listing throw it instead of reading.
final class ListingProbe: SyncTarget {
    let wrapped: FlowServiceClient
    let failure: RequestError?
    private let asked = Mutex<(listings: [[BundleID]], finds: Int, reads: Int)>(([], 0, 0))

    init(wrapped: FlowServiceClient, failure: RequestError? = nil) {
        self.wrapped = wrapped
        self.failure = failure
    }

    var listings: [[BundleID]] { asked.withLock { $0.listings } }
    var finds: Int { asked.withLock { $0.finds } }
    var reads: Int { asked.withLock { $0.reads } }

    var ratePolicy: RatePolicy { wrapped.ratePolicy }
    var owner: SpecOwner? { wrapped.owner }
    func create(_ body: ReplacementBody) async throws -> RemoteSpec { try await wrapped.create(body) }
    func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec { try await wrapped.replace(id: id, with: body) }
    func read(id: String, bundle: BundleID) async throws -> RemoteSpec? {
        asked.withLock { $0.reads += 1 }
        return try await wrapped.read(id: id, bundle: bundle)
    }
    func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] {
        asked.withLock { $0.finds += 1 }
        return try await wrapped.find(name: name, bundle: bundle)
    }
    func list(bundles: [BundleID]) async throws -> [RemoteSpec]? {
        asked.withLock { $0.listings.append(bundles) }
        if let failure { throw failure }
        return try await wrapped.list(bundles: bundles)
    }
}
