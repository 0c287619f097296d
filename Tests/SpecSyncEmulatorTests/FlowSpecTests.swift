import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import Testing

@Suite("Flow specs")
struct FlowSpecTests {
    static let restStorageToAEP = "6499120c-0b15-42dc-936e-847ea3c24d72"

    @Test func seededFlowSpecIsThere() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let reply = try await harness.flow("GET", "/flowSpecs/\(Self.restStorageToAEP)", token: token)
            #expect(reply.status == 200)
            #expect(reply["/items"]?.arrayValue?.count == 1)
            #expect(reply["/items/0/id"] == .string(Self.restStorageToAEP))
            #expect(reply["/items/0/name"] == .string("RestStorageToAEP"))
            #expect(reply["/items/0/sourceConnectionSpecIds"] == .array([]))
            #expect(reply["/items/0/targetConnectionSpecIds"] == .array([.string("c604ff05-7f1a-43c0-8e18-33bf874cb11c")]))
            #expect(reply["/items/0/createdAt"].flatMap(millis) != nil)

            let listed = try await harness.flow("GET", "/flowSpecs?property=name%3D%3DRestStorageToAEP", token: token)
            #expect(listed["/items/0/id"] == .string(Self.restStorageToAEP))
        }
    }

    @Test func addingASourceIsAFullReplacement() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let specID = try await harness.create(name: "New batch source", token: token)
            let get = try await harness.flow("GET", "/flowSpecs/\(Self.restStorageToAEP)", token: token)
            var flowSpec = try #require(get["/items/0"]?.objectValue)

            // Sent back as fetched, the server's own fields are refused.
            let unstripped = try await harness.flow(
                "PUT", "/flowSpecs/\(Self.restStorageToAEP)", body: JSONValue.object(flowSpec).compactText, token: token)
            #expect(unstripped.status == 400)
            #expect(unstripped["/report/detailed-message"]?.stringValue?.contains("id, createdAt, updatedAt") == true)

            for field in ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
                          "sandboxId", "sandboxName", "imsOrgId"] {
                flowSpec[field] = nil
            }
            flowSpec["sourceConnectionSpecIds"] = .array([.string(specID)])
            let put = try await harness.flow(
                "PUT", "/flowSpecs/\(Self.restStorageToAEP)", body: JSONValue.object(flowSpec).compactText, token: token)
            #expect(put.status == 200)
            #expect(put["/sourceConnectionSpecIds"] == .array([.string(specID)]))
            #expect(put["/createdBy"] == .string("acp_foundation_connectors@AdobeID"))
            #expect(put["/updatedBy"] == .string("specsync-emulator@AdobeID"))

            let check = try await harness.flow("GET", "/flowSpecs/\(Self.restStorageToAEP)", token: token)
            #expect(check["/items/0/sourceConnectionSpecIds"] == .array([.string(specID)]))
            #expect(check["/items/0/targetConnectionSpecIds"] == get["/items/0/targetConnectionSpecIds"])
            #expect(check["/items/0/createdAt"] == get["/items/0/createdAt"])
            #expect(await harness.emulator.store.flowSpec(id: Self.restStorageToAEP)?[JSONPointer("/sourceConnectionSpecIds/0")] == .string(specID))
        }
    }

    @Test func flowSpecValidationAndUnknownIDs() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let missing = try await harness.flow(
                "PUT", "/flowSpecs/\(Self.restStorageToAEP)", body: #"{"name": "RestStorageToAEP"}"#, token: token)
            #expect(missing.status == 400)
            #expect(missing["/report/detailed-message"]?.stringValue?.contains("providerId") == true)

            let badIDs = try await harness.flow(
                "PUT", "/flowSpecs/\(Self.restStorageToAEP)",
                body: #"{"name": "n", "providerId": "p", "sourceConnectionSpecIds": [1]}"#, token: token)
            #expect(badIDs.status == 400)

            let unknown = try await harness.flow(
                "PUT", "/flowSpecs/00000000-0000-4000-8000-000000000000", body: #"{"name": "n", "providerId": "p"}"#,
                token: token)
            #expect(unknown.status == 404)
            #expect(unknown["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1101-404"))

            let create = try await harness.flow("POST", "/flowSpecs", body: #"{"name": "n", "providerId": "p"}"#, token: token)
            #expect(create.status == 405)
            let stored = try #require(await harness.emulator.store.flowSpec(id: Self.restStorageToAEP))
            #expect(stored[JSONPointer("/sourceConnectionSpecIds")] == .array([]))
        }
    }
}
