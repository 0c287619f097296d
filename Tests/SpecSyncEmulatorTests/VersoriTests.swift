import SpecSyncCore
@testable import SpecSyncEmulator
import SpecSyncJSON
import Testing

@Suite("Versori connections")
struct VersoriTests {
    @Test func createAnswers200WithTheFullConnection() async throws {
        try await EmulatorHarness.run { harness in
            let body = #"{"name":"Shop","credentials":{"action":[{"authSchemeConfigId":"a1"}]},"variables":[{"name":"region","value":"eu"}]}"#
            let reply = try await harness.versori("POST", body: body)
            #expect(reply.status == 200)
            let id = try #require(reply["/id"]?.stringValue)
            #expect(ULID.isValid(id))
            #expect(reply["/name"] == .string("Shop"))
            #expect(reply["/credentials"] == (try JSONParser().parse(#"{"action":[{"authSchemeConfigId":"a1"}]}"#)))
            #expect(reply["/variables/0/value"] == .string("eu"))
            let createdAt = try #require(reply["/createdAt"]?.stringValue)
            #expect(reply["/updatedAt"]?.stringValue == createdAt)
            #expect(createdAt.count == "2024-01-01T00:00:00.000000Z".count && createdAt.hasSuffix("Z") && createdAt.contains("."))

            let read = try await harness.versori("GET", "/\(id)")
            #expect(read.status == 200)
            #expect(try read.json == reply.json)
            let stored = try #require(await harness.emulator.versoriStore.connection(connector: "shopify", id: id))
            #expect(stored.value(of: "region") == "eu")
            #expect(await harness.emulator.store.statistics().count("POST", "versoriConnections", 200) == 1)
            #expect(await harness.emulator.store.statistics().count("GET", "versoriConnection", 200) == 1)
        }
    }

    @Test func namesAreUniqueWithinAConnector() async throws {
        try await EmulatorHarness.run { harness in
            _ = try await harness.createVersori(name: "Shop")
            let duplicate = try await harness.versori("POST", body: #"{"name":"Shop","credentials":{},"variables":[]}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate["/code"] == .string("already_exists"))
            #expect(duplicate["/message"]?.stringValue?.isEmpty == false)
            // Another connector may use the name.
            _ = try await harness.createVersori(name: "Shop", connector: "bigcommerce")

            let other = try await harness.createVersori(name: "Other")
            let rename = try await harness.versori("PUT", "/\(other)", body: #"{"id":"\#(other)","name":"Shop"}"#)
            #expect(rename.status == 409)
            #expect(rename["/code"] == .string("already_exists"))
            #expect(await harness.emulator.versoriStore.connections(connector: "shopify").map(\.name) == ["Shop", "Other"])
        }
    }

    @Test(arguments: [
        (#"{"credentials":{},"variables":[]}"#, "name"),
        (#"{"name":"x","variables":[]}"#, "credentials"),
        (#"{"name":"x","credentials":{}}"#, "variables"),
        (#"{"name":"x","credentials":[],"variables":[]}"#, "credentials"),
        (#"{"name":"x","credentials":{},"variables":[{"name":"a","value":"1"},{"name":"a","value":"2"}]}"#, "variables[1].name"),
        (#"{"name":"x","credentials":{},"variables":[{"name":"a"}]}"#, "variables[0].value"),
        (#"{"name":"x","credentials":{},"variables":[],"extra":1}"#, "extra"),
    ])
    func invalidCreatesAre400NamingTheField(body: String, field: String) async throws {
        try await EmulatorHarness.run { harness in
            let reply = try await harness.versori("POST", body: body)
            #expect(reply.status == 400)
            #expect(reply["/code"] == .string("bad_request"))
            let fields = try #require(reply["/fields"]?.arrayValue)
            #expect(fields.contains { $0.objectValue?["field"] == .string(field) }, "\(reply.text)")
            #expect(await harness.emulator.versoriStore.connections(connector: "shopify").isEmpty)
        }
    }

    @Test func listPagesMostRecentlyUpdatedFirst() async throws {
        try await EmulatorHarness.run { harness in
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await harness.createVersori(name: "C\(index)")) }
            // Touch the oldest: it moves to the front.
            let touched = try await harness.versori("PUT", "/\(ids[0])", body: #"{"id":"\#(ids[0])","name":"C0"}"#)
            #expect(touched.status == 200)
            let expected = [ids[0], ids[4], ids[3], ids[2], ids[1]]

            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let query = "?first=2" + (after.map { "&after=\($0)" } ?? "")
                let page = try await harness.versori("GET", query)
                #expect(page.status == 200)
                #expect(page["/totalCount"] == .number("5"))
                let items = try #require(page["/items"]?.arrayValue)
                #expect(items.count <= 2)
                #expect(items.allSatisfy { $0.objectValue?["createdAt"] != nil && $0.objectValue?["variables"] == nil })
                seen += items.compactMap { $0.objectValue?["id"]?.stringValue }
                if pages > 0 { #expect(page["/prev"]?.stringValue?.isEmpty == false) }
                after = page["/next"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                pages += 1
            } while after != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == expected)

            let everything = try await harness.versori("GET", "")
            #expect(everything["/items"]?.arrayValue?.count == 5)
            #expect(everything["/next"] == nil)
            #expect(try await harness.versori("GET", "?first=0").status == 400)
            #expect(try await harness.versori("GET", "?after=zz").status == 400)
            #expect(try await harness.versori("GET", "?first=1000")["/items"]?.arrayValue?.count == 5)
            let empty = try await harness.versori("GET", connector: "nothing-here")
            #expect(empty["/totalCount"] == .number("0"))
            #expect(empty["/items"] == .array([]))
        }
    }

    @Test func putWithoutVariablesKeepsThem() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Keep", variables: [("a", "1"), ("b", "2")])
            let reply = try await harness.versori("PUT", "/\(id)", body: #"{"id":"\#(id)","name":"Kept"}"#)
            #expect(reply.status == 200)
            #expect(reply["/name"] == .string("Kept"))
            #expect(reply["/variables"]?.arrayValue?.count == 2)
            #expect(reply["/credentials"] == (try JSONParser().parse(#"{"action":[]}"#)))
            let stored = try #require(await harness.emulator.versoriStore.connection(connector: "shopify", id: id))
            #expect(stored.variables == [.init(name: "a", value: "1"), .init(name: "b", value: "2")])
        }
    }

    @Test func putWithAnEmptyListDeletesAllVariables() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Empty", variables: [("a", "1")])
            let reply = try await harness.versori("PUT", "/\(id)", body: #"{"id":"\#(id)","name":"Empty","variables":[]}"#)
            #expect(reply.status == 200)
            #expect(reply["/variables"] == .array([]))
            #expect(await harness.emulator.versoriStore.connection(connector: "shopify", id: id)?.variables == [])
        }
    }

    @Test func putWithAListReplacesAllVariables() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Replace", variables: [("a", "1"), ("b", "2")])
            let reply = try await harness.versori(
                "PUT", "/\(id)", body: #"{"id":"\#(id)","name":"Replace","credentials":{"trigger":[]},"variables":[{"name":"c","value":"3"}]}"#)
            #expect(reply.status == 200)
            let stored = try #require(await harness.emulator.versoriStore.connection(connector: "shopify", id: id))
            #expect(stored.variables == [.init(name: "c", value: "3")])
            #expect(stored.credentials == (try JSONParser().parse(#"{"trigger":[]}"#)))
        }
    }

    @Test func putRejectsAMismatchedIdAndUnknownMembers() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Mine")
            let before = await harness.emulator.versoriStore.connection(connector: "shopify", id: id)
            let mismatch = try await harness.versori("PUT", "/\(id)", body: #"{"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","name":"Mine"}"#)
            #expect(mismatch.status == 400)
            #expect(mismatch["/fields/0/field"] == .string("id"))
            let unknown = try await harness.versori("PUT", "/\(id)", body: #"{"id":"\#(id)","name":"Mine","createdAt":"x"}"#)
            #expect(unknown.status == 400)
            #expect(unknown["/fields/0/field"] == .string("createdAt"))
            let missing = try await harness.versori("PUT", "/\(id)", body: #"{"name":"Mine"}"#)
            #expect(missing.status == 400)
            #expect(await harness.emulator.versoriStore.connection(connector: "shopify", id: id) == before)
            let absent = try await harness.versori(
                "PUT", "/01ARZ3NDEKTSV4RRFFQ69G5FAV", body: #"{"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","name":"Mine"}"#)
            #expect(absent.status == 404)
            #expect(absent["/code"] == .string("not_found"))
        }
    }

    @Test func updatedAtStrictlyIncreasesOnEveryWrite() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Stamped")
            var previous = try #require(await harness.emulator.versoriStore.connection(connector: "shopify", id: id)?.updatedAt)
            let createdAt = previous
            for round in 0..<5 {
                let reply = try await harness.versori("PUT", "/\(id)", body: #"{"id":"\#(id)","name":"Stamped \#(round)"}"#)
                let updatedAt = try #require(reply["/updatedAt"]?.stringValue)
                #expect(updatedAt > previous)
                #expect(reply["/createdAt"] == .string(createdAt))
                previous = updatedAt
            }
            let edited = try await harness.emulator.versoriStore.editOutOfBand(connector: "shopify", id: id, variable: "x", value: "1")
            #expect(edited.updatedAt > previous)
            let read = try await harness.versori("GET", "/\(id)")
            #expect(read["/variables/0/name"] == .string("x"))
            #expect(read["/updatedAt"] == .string(edited.updatedAt))
        }
    }

    @Test func wrongKeyIs401AndUnknownOrganisationOrConnectorIs404() async throws {
        try await EmulatorHarness.run({ $0.versoriConnectors = ["shopify"] }) { harness in
            for key in ["wrong", nil] as [String?] {
                let reply = try await harness.versori("GET", key: key)
                #expect(reply.status == 401)
                #expect(reply["/code"] == .string("unauthorized"))
                #expect(reply["/message"]?.stringValue?.isEmpty == false)
            }
            let organisation = try await harness.versori("GET", organisation: "someone-else")
            #expect(organisation.status == 404)
            #expect(organisation["/code"] == .string("not_found"))
            let connector = try await harness.versori("POST", connector: "unknown", body: #"{"name":"x","credentials":{},"variables":[]}"#)
            #expect(connector.status == 404)
            #expect(try await harness.versori("GET").status == 200)
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("GET", "versoriConnections", 401) == 2)
            #expect(statistics.count("GET", "versoriConnections", 404) == 1)
        }
    }

    @Test func deleteAnswers204ThenTheConnectionIsGone() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Doomed")
            let delete = try await harness.versori("DELETE", "/\(id)")
            #expect(delete.status == 204)
            #expect(delete.bytes.isEmpty)
            #expect(try await harness.versori("GET", "/\(id)").status == 404)
            #expect(try await harness.versori("DELETE", "/\(id)").status == 404)
            // The name is free again.
            _ = try await harness.createVersori(name: "Doomed")
            let patch = try await harness.versori("PATCH", "/\(id)", body: "{}")
            #expect(patch.status == 405)
            #expect(patch.header("Allow") == "GET, PUT, DELETE")
        }
    }

    @Test func injectedFaultsUseTheErrorShape() async throws {
        try await EmulatorHarness.run({ $0.faults.throttleRate = 1; $0.faults.retryAfterSeconds = 2 }) { harness in
            let throttled = try await harness.versori("GET")
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "2")
            #expect(throttled["/code"] == .string("too_many_requests"))
            var plan = FaultPlan()
            plan.serverErrorRate = 1
            await harness.emulator.setFaults(plan)
            let failed = try await harness.versori("POST", body: #"{"name":"x","credentials":{},"variables":[]}"#)
            #expect([502, 503, 504].contains(failed.status))
            #expect(failed["/code"]?.stringValue?.isEmpty == false)
            #expect(failed["/message"]?.stringValue?.isEmpty == false)
            #expect(await harness.emulator.versoriStore.connections(connector: "shopify").isEmpty)
        }
    }

    @Test func outOfBandChangesShowThroughTheAPI() async throws {
        try await EmulatorHarness.run { harness in
            let id = try await harness.createVersori(name: "Original", variables: [("a", "1")])
            let taken = try await harness.createVersori(name: "Taken")
            let edited = try await harness.emulator.versoriStore.editOutOfBand(
                connector: "shopify", id: id, name: "Renamed", variables: [.init(name: "b", value: "2")])
            let read = try await harness.versori("GET", "/\(id)")
            #expect(read["/name"] == .string("Renamed"))
            #expect(read["/variables"]?.arrayValue?.count == 1)
            #expect(read["/updatedAt"] == .string(edited.updatedAt))
            await #expect(throws: VersoriStoreError.nameTaken(connector: "shopify", name: "Taken")) {
                try await harness.emulator.versoriStore.editOutOfBand(connector: "shopify", id: id, name: "Taken")
            }
            try await harness.emulator.versoriStore.deleteOutOfBand(connector: "shopify", id: taken)
            #expect(try await harness.versori("GET", "/\(taken)").status == 404)
            await #expect(throws: VersoriStoreError.unknownConnection(connector: "shopify", id: taken)) {
                try await harness.emulator.versoriStore.deleteOutOfBand(connector: "shopify", id: taken)
            }
            let control = try await harness.send("GET", "/__emulator/versoriConnections/shopify")
            #expect(control["/0/name"] == .string("Renamed"))
        }
    }

    @Test func targetConfigurationPointsAtTheEmulator() async throws {
        try await EmulatorHarness.run { harness in
            let yaml = try await harness.emulator.versoriTargetConfiguration(name: "ver", keyVariable: "VERSORI_KEY")
            #expect(yaml == """
                  ver:
                    kind: versori
                    versori:
                      baseURL: \(harness.baseURL)/versori/api/connect/v1
                      organisation: emulator-org
                      apiKey: {env: VERSORI_KEY}

                """)
            #expect(try await harness.emulator.versoriURL == harness.baseURL + "/versori/api/connect/v1")
        }
    }

    @Test func timestampsAndIdsHaveTheirDocumentedShapes() {
        #expect(RFC3339.format(microseconds: 0) == "1970-01-01T00:00:00.000000Z")
        #expect(RFC3339.format(microseconds: 1_700_000_000_123_456) == "2023-11-14T22:13:20.123456Z")
        #expect(RFC3339.format(microseconds: 951_782_400_000_001) == "2000-02-29T00:00:00.000001Z")
        var generator = SystemRandomNumberGenerator()
        let id = ULID.make(milliseconds: 1_469_918_176_385, using: &generator)
        #expect(id.count == 26)
        #expect(id.hasPrefix("01ARYZ6S41"))
        #expect(ULID.isValid(id))
        #expect(!ULID.isValid("not-a-ulid"))
    }
}
