import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Connection specs")
struct ConnectionSpecTests {
    @Test func postCreatesWithServerFieldsAndPermissions() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let body = SampleBundle.spec(name: "MailChimp Members")
            let reply = try await harness.flow("POST", "/connectionSpecs", body: body, token: token)
            #expect(reply.status == 201)
            let id = try #require(reply["/id"]?.stringValue)
            #expect(id.count == 36 && id == id.lowercased() && id.split(separator: "-").count == 5)
            #expect(reply.header("Location") == "/data/foundation/flowservice/connectionSpecs/\(id)")

            guard case .number(let createdAt)? = reply["/createdAt"], let millis = Int64(createdAt) else {
                Issue.record("createdAt is not an integer: \(reply.text)")
                return
            }
            #expect(millis > 1_600_000_000_000)  // milliseconds, not seconds
            #expect(reply["/updatedAt"] == .number(createdAt))
            #expect(reply["/createdBy"] == .string("specsync-emulator@AdobeID"))
            #expect(reply["/updatedBy"] == .string("specsync-emulator@AdobeID"))
            #expect(reply["/createdClient"] == .string("specsync-emulator"))
            #expect(reply["/updatedClient"] == .string("specsync-emulator"))
            #expect(reply["/sandboxName"] == .string("prod"))
            #expect(reply["/sandboxId"]?.stringValue?.isEmpty == false)
            #expect(reply["/imsOrgId"] == .string("EMULATOR0000000000000000@AdobeOrg"))
            #expect(reply["/permissionsInfo/view/0/permissions"] == .array([.string("read")]))
            #expect(reply["/permissionsInfo/manage/0/permissions"] == .array([.string("write")]))
            #expect(reply["/permissionsInfo/view/0/@type"] == .string("lowLevel"))

            // Every member of the body comes back exactly as sent, quirks included.
            let sent = try #require(try JSONParser().parse(body).objectValue)
            let returned = try #require(try reply.json.objectValue)
            for (key, value) in sent.members { #expect(returned[key] == value, "\(key)") }
            #expect(reply["/sourceSpec/attributes/paginationParams/limitValue"] == .string("100"))
            #expect(reply["/exploreSpec/responseSpec/$schema"] == .string("http: //json-schema.org/draft-07/schema#"))

            let stored = try #require(await harness.emulator.store.connectionSpec(id: id))
            #expect(stored == (try reply.json))
            #expect(await harness.emulator.store.statistics().count("POST", "connectionSpecs", 201) == 1)
        }
    }

    @Test func postWithServerOwnedFieldsIsRefused() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let body = SampleBundle.spec(name: "x", extra: #" "id": "abc", "createdAt": 1, "etag": "\"1\"","#)
            let reply = try await harness.flow("POST", "/connectionSpecs", body: body, token: token)
            #expect(reply.status == 400)
            #expect(reply["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1103-400"))
            let message = try #require(reply["/report/detailed-message"]?.stringValue)
            #expect(message.contains("id, createdAt") && message.contains("etag"))
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
    }

    @Test func postMissingFieldsListsThem() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let body = #"{"name": "x", "providerId": "p", "version": "1.0", "type": "generic-rest", "sourceSpec": {}}"#
            let reply = try await harness.flow("POST", "/connectionSpecs", body: body, token: token)
            #expect(reply.status == 400)
            #expect(reply["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1103-400"))
            #expect(reply["/status"] == .number("400"))
            let message = try #require(reply["/report/detailed-message"]?.stringValue)
            #expect(message.contains("Missing required fields: authSpec, exploreSpec."))
            #expect(reply["/report/request-id"]?.stringValue == reply.requestID)

            let wrongKind = try await harness.flow(
                "POST", "/connectionSpecs", body: SampleBundle.spec(name: "x").replacingFirst(#""version": "1.0""#, with: #""version": 1.0"#),
                token: token)
            #expect(wrongKind.status == 400)
            #expect(wrongKind["/report/detailed-message"]?.stringValue?.contains("version must be a string") == true)
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
    }

    @Test func malformedJSONNamesLineAndColumn() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let reply = try await harness.flow("POST", "/connectionSpecs", body: "{\n  \"name\": \"x\",\n}", token: token)
            #expect(reply.status == 400)
            #expect(reply["/report/detailed-message"]?.stringValue?.contains("line 3, column 1") == true)
            let array = try await harness.flow("POST", "/connectionSpecs", body: "[]", token: token)
            #expect(array.status == 400)
            #expect(array["/report/detailed-message"]?.stringValue?.contains("must be a JSON object") == true)
        }
    }

    @Test func putReplacesFully() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let extra = #" "attributes": {"uiAttributes": {"apiFeatures": {"explorePaginationSupported": false}}},"#
            let id = try await harness.create(name: "Replace me", token: token, extra: extra)
            let created = try #require(await harness.emulator.store.connectionSpec(id: id))
            #expect(created.objectValue?["attributes"] != nil)

            let put = try await harness.flow(
                "PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "Replaced"), token: token)
            #expect(put.status == 200)
            #expect(put["/id"] == .string(id))
            #expect(put["/name"] == .string("Replaced"))
            #expect(put["/attributes"] == nil)
            #expect(put["/createdAt"] == created.objectValue?["createdAt"])

            let get = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(get.status == 200)
            #expect(get["/items/0/attributes"] == nil)
            #expect(get["/items/0/name"] == .string("Replaced"))
            #expect(get["/items/0/permissionsInfo"] != nil)
            let before = try #require(created.objectValue?["updatedAt"].flatMap(millis))
            let after = try #require(get["/items/0/updatedAt"].flatMap(millis))
            #expect(after > before)
        }
    }

    @Test func putUnknownIDIs404WithTheRequestID() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let missing = "00000000-0000-4000-8000-000000000000"
            let reply = try await harness.flow(
                "PUT", "/connectionSpecs/\(missing)", body: SampleBundle.spec(name: "x"), token: token)
            #expect(reply.status == 404)
            #expect(reply["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1101-404"))
            #expect(reply["/status"] == .number("404"))
            let requestID = try #require(reply.requestID)
            #expect(reply["/report/request-id"] == .string(requestID))
            #expect(reply["/report/detailed-message"]?.stringValue?.contains(missing) == true)

            // A request id the client chose is echoed, so client logs and server answers line up.
            let echoed = try await harness.flow(
                "GET", "/connectionSpecs/\(missing)", token: token, extraHeaders: [("x-request-id", "client-chosen-1")])
            #expect(echoed.status == 404)
            #expect(echoed.requestID == "client-chosen-1")
            #expect(echoed["/report/request-id"] == .string("client-chosen-1"))
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
        }
    }

    @Test func getByIDWrapsInItems() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Wrapped", token: token)
            let reply = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(reply.status == 200)
            let items = try #require(reply["/items"]?.arrayValue)
            #expect(items.count == 1)
            #expect(await harness.emulator.store.connectionSpec(id: id) == items.first)
            #expect(try reply.json.objectValue?.keys == ["items"])
        }
    }

    @Test func nameFilterFindsExactlyTheMatchingSpecs() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let first = try await harness.create(name: "Alpha Source", token: token)
            _ = try await harness.create(name: "Beta", token: token)
            let duplicate = try await harness.create(name: "Alpha Source", token: token)
            _ = try await harness.create(name: "Alpha Source 2", token: token)

            let quoted = try await harness.flow(
                "GET", "/connectionSpecs?property=name%3D%3D%22Alpha%20Source%22", token: token)
            #expect(quoted.status == 200)
            let ids = try #require(quoted["/items"]?.arrayValue).compactMap { $0.objectValue?["id"]?.stringValue }
            #expect(ids == [first, duplicate])

            let bare = try await harness.flow("GET", "/connectionSpecs?property=name==Beta", token: token)
            #expect(bare["/items"]?.arrayValue?.count == 1)
            #expect(bare["/items/0/name"] == .string("Beta"))

            let none = try await harness.flow("GET", "/connectionSpecs?property=name%3D%3D%22Gamma%22", token: token)
            #expect(none["/items"] == .array([]))

            let all = try await harness.flow("GET", "/connectionSpecs", token: token)
            #expect(all["/items"]?.arrayValue?.count == 4)
            #expect(await harness.emulator.store.connectionSpecs(named: "Alpha Source").count == 2)

            let unsupported = try await harness.flow("GET", "/connectionSpecs?property=state%3D%3Denabled", token: token)
            #expect(unsupported.status == 400)
        }
    }

    @Test func updatedAtStrictlyIncreases() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Busy", token: token)
            var last = try #require(await harness.emulator.store.connectionSpec(id: id)?.objectValue?["updatedAt"].flatMap(millis))
            for round in 0..<8 {
                let reply = try await harness.flow(
                    "PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "Busy \(round)"), token: token)
                let updated = try #require(reply["/updatedAt"].flatMap(millis))
                #expect(updated > last)
                last = updated
            }
            // Creations within one millisecond still get distinct times.
            var createdTimes: [Int64] = []
            for round in 0..<5 {
                let id = try await harness.create(name: "Burst \(round)", token: token)
                createdTimes.append(try #require(await harness.emulator.store.connectionSpec(id: id)?.objectValue?["createdAt"].flatMap(millis)))
            }
            #expect(createdTimes == createdTimes.sorted() && Set(createdTimes).count == 5)
            #expect(createdTimes[0] > last)
        }
    }

    @Test func deleteIsNotAllowed() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Keep", token: token)
            let reply = try await harness.flow("DELETE", "/connectionSpecs/\(id)", token: token)
            #expect(reply.status == 405)
            #expect(reply["/status"] == .number("405"))
            #expect(await harness.emulator.store.connectionSpec(id: id) != nil)
        }
    }

    @Test func wrapCreateResponseAnswersWithItems() async throws {
        try await EmulatorHarness.run({ $0.wrapCreateResponse = true }) { harness in
            let token = try await harness.token()
            let reply = try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "W"), token: token)
            #expect(reply.status == 201)
            #expect(try reply.json.objectValue?.keys == ["items"])
            let id = try #require(reply["/items/0/id"]?.stringValue)
            #expect(await harness.emulator.store.connectionSpec(id: id) == reply["/items/0"])
        }
    }

    @Test func contentPathAsStringReshapesResponsesOnly() async throws {
        try await EmulatorHarness.run({ $0.contentPathAsString = true }) { harness in
            let token = try await harness.token()
            let created = try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "C"), token: token)
            #expect(created["/sourceSpec/attributes/contentPath"] == .string("$.members"))
            let id = try #require(created["/id"]?.stringValue)
            let get = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(get["/items/0/sourceSpec/attributes/contentPath"] == .string("$.members"))
            let stored = try #require(await harness.emulator.store.connectionSpec(id: id))
            #expect(stored[JSONPointer("/sourceSpec/attributes/contentPath/skipAttributes")] == .array([.string("_links")]))

            // A spec that already says a string is left alone.
            let asString = try await harness.flow(
                "POST", "/connectionSpecs", body: SampleBundle.spec(name: "S", contentPath: #""$.data""#), token: token)
            #expect(asString["/sourceSpec/attributes/contentPath"] == .string("$.data"))
        }
    }
}

func millis(_ value: JSONValue) -> Int64? {
    if case .number(let literal) = value { return Int64(literal) }
    return nil
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
