import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Out-of-band changes")
struct OutOfBandTests {
    @Test func consoleEditBumpsUpdatedAtAndShowsThroughTheAPI() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Edited", token: token)
            let before = try #require(await harness.emulator.store.connectionSpec(id: id))
            let edited = try await harness.emulator.store.editOutOfBand(
                id: id, pointer: JSONPointer("/sourceSpec/attributes/urlParams/path"), value: .string("/v4/members"))
            #expect(edited[JSONPointer("/sourceSpec/attributes/urlParams/path")] == .string("/v4/members"))
            #expect(edited.objectValue?["updatedBy"] == .string("console-user@AdobeID"))
            let beforeMillis = try #require(before.objectValue?["updatedAt"].flatMap(millis))
            let afterMillis = try #require(edited.objectValue?["updatedAt"].flatMap(millis))
            #expect(afterMillis > beforeMillis)

            let get = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(get["/items/0"] == edited)

            let removed = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: nil)
            #expect(removed.objectValue?["description"] == nil)

            await #expect(throws: SpecStoreError.invalidPointer(JSONPointer("/no/such/field"))) {
                try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/no/such/field"), value: .null)
            }
            await #expect(throws: SpecStoreError.serverOwnedField("id")) {
                try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/id"), value: .string("x"))
            }
            await #expect(throws: SpecStoreError.unknownSpec(id: "nope")) {
                try await harness.emulator.store.editOutOfBand(id: "nope", pointer: JSONPointer("/name"), value: .null)
            }
        }
    }

    @Test func deleteOutOfBandMakesTheSpecDisappear() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Deleted", token: token)
            try await harness.emulator.store.deleteOutOfBand(id: id)
            #expect(try await harness.flow("GET", "/connectionSpecs/\(id)", token: token).status == 404)
            #expect(try await harness.flow("PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "x"), token: token).status == 404)
            await #expect(throws: SpecStoreError.unknownSpec(id: id)) {
                try await harness.emulator.store.deleteOutOfBand(id: id)
            }
        }
    }
}
