import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// A Streaming SDK bundle beside the batch examples: `plan` says it goes to GenericStreamingAEP and
/// why, and a sync registers it there while the batch specs go to RestStorageToAEP.
@Suite("Streaming SDK registration", .serialized)
struct StreamingRegistrationTests {
    static let streaming = #"""
    {"name": "Medallia streaming", "type": "generic-streaming", "description": "Medallia survey responses",
     "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033", "version": "1.0",
     "attributes": {"category": "Streaming", "isSource": true},
     "authSpec": [],
     "sourceSpec": {"attributes": {"authRequired": false, "uiAttributes": {"isSource": true}}},
     "exploreSpec": {"type": "StreamingConnection"}}
    """#

    @Test("plan names GenericStreamingAEP for the streaming spec and RestStorageToAEP for the others; sync registers them so")
    func registration() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            try fixture.write(Self.streaming, to: "Sources/medallia/Artifacts/medallia-connectionSpec.json")
            try fixture.write(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#,
                              to: "Sources/medallia/Artifacts/medallia-icon.svg")
            try fixture.commitAll("a streaming source")
            let environment = ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret]
            let plan = try await SpecSyncBinary.execute(["plan"], in: fixture.url, environment: environment)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("then added to flow spec e77fde5a-22a8-11ed-861d-0242ac120002 (GenericStreamingAEP, for Streaming SDK specs)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("then added to flow spec 6499120c-0b15-42dc-936e-847ea3c24d72 (RestStorageToAEP, for batch sources)"), "\(plan.stdout)")

            let sync = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: environment)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let specs = await emulator.store.connectionSpecs()
            let medallia = try #require(specs.first { $0[JSONPointer("/name")]?.stringValue == "Medallia streaming" }?[JSONPointer("/id")]?.stringValue)
            let streaming = await emulator.store.flowSpec(id: "e77fde5a-22a8-11ed-861d-0242ac120002")
            let batch = await emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72")
            let streamingIDs = streaming?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue?.compactMap(\.stringValue) ?? []
            let batchIDs = batch?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(streamingIDs.contains(medallia))
            #expect(!batchIDs.contains(medallia))
            #expect(batchIDs.count == 3, "the three batch examples: \(batchIDs)")
        }
    }
}
