import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// The parts of the documented service a client can get wrong against a friendlier one: paged
/// listings, Adobe's catalogue of another org, the filter syntax, and the shared flow specs.
@Suite("Listings, catalogue and filters")
struct ListingTests {
    static let restStorageToAEP = "6499120c-0b15-42dc-936e-847ea3c24d72"
    static let genericStreamingAEP = "e77fde5a-22a8-11ed-861d-0242ac120002"

    /// Every item of a listing, following `_links.next.href` from `path`; also the page count.
    func readAll(_ harness: EmulatorHarness, _ path: String, token: String) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var next: String? = path
        var pages = 0
        while let current = next {
            let reply = try await harness.flow("GET", current, token: token)
            #expect(reply.status == 200, "\(reply.text)")
            pages += 1
            ids += (reply["/items"]?.arrayValue ?? []).compactMap { $0[JSONPointer("/id")]?.stringValue }
            next = reply["/_links/next/href"]?.stringValue
            if let href = next { #expect(href.hasPrefix("/connectionSpecs?") || href.hasPrefix("/flowSpecs?"), "relative to the service base: \(href)") }
            if pages > 100 { Issue.record("the listing does not end"); break }
        }
        return (ids, pages)
    }

    @Test("listings page at the configured size, follow to the end through _links.next.href, and count with count=true")
    func paging() async throws {
        try await EmulatorHarness.run({ $0.catalogueSize = 45; $0.listPageSize = 20 }) { harness in
            let token = try await harness.token()
            let ours = try await harness.create(name: "Our source", token: token)

            let first = try await harness.flow("GET", "/connectionSpecs", token: token)
            #expect(first["/items"]?.arrayValue?.count == 20)
            #expect(first["/_links/next/href"]?.stringValue?.contains("continuationToken=") == true)

            let all = try await readAll(harness, "/connectionSpecs", token: token)
            #expect(all.pages == 3)
            #expect(all.ids.count == 46)
            #expect(Set(all.ids).count == 46, "no spec on two pages")
            #expect(all.ids.last == ours, "the org's own specs come after the catalogue")

            let limited = try await readAll(harness, "/connectionSpecs?limit=7", token: token)
            #expect(limited.pages == 7)
            #expect(limited.ids == all.ids)

            let count = try await harness.flow("GET", "/connectionSpecs?count=true", token: token)
            #expect(count["/count"] == .number("46"))
            #expect(count["/items"] == nil)

            let filtered = try await harness.flow(
                "GET", "/connectionSpecs?property=name%3D%3Dgeneric-rest-extension&count=true", token: token)
            let generic = await harness.emulator.store.connectionSpecs(named: "generic-rest-extension").count
            #expect(generic > 1, "the catalogue reuses the name")
            #expect(filtered["/count"] == .number(String(generic)))

            for bad in ["limit=0", "limit=abc", "limit=1001", "continuationToken=made-up"] {
                let reply = try await harness.flow("GET", "/connectionSpecs?\(bad)", token: token)
                #expect(reply.status == 400, "\(bad): \(reply.text)")
                #expect(reply["/type"]?.stringValue?.hasSuffix("FLOW-1107-400") == true)
            }
        }
    }

    @Test("Adobe's catalogue is another client's and org's; writing to it is refused with 403 in the platform shape")
    func catalogue() async throws {
        try await EmulatorHarness.run({ $0.catalogueSize = 260 }) { harness in
            let token = try await harness.token()
            let catalogue = await harness.emulator.store.catalogueSpecs()
            #expect(catalogue.count == 260)
            let spec = try #require(catalogue.first?.objectValue)
            #expect(spec["name"] == .string("generic-rest-extension"))
            #expect(spec["createdClient"] != .string(harness.configuration.clientID))
            #expect(spec["imsOrgId"] != .string(harness.configuration.orgID))
            for name in ["Acme Orders source", "MailChimp Members source", "alpha source"] {
                #expect(await harness.emulator.store.connectionSpecs(named: name).count == 1, "\(name) collides with a partner's bundle")
            }

            let id = try #require(spec["id"]?.stringValue)
            let put = try await harness.flow("PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "taken over"), token: token)
            #expect(put.status == 403)
            #expect(put["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1106-403"))
            #expect(put["/report/detailed-message"]?.stringValue?.contains(AdobeCatalogueOrg.id) == true)
            #expect(await harness.emulator.store.connectionSpec(id: id) == catalogue.first, "unchanged")

            // Reading it is fine, and a reset brings the catalogue back as it was.
            let get = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(get.status == 200)
            _ = try await harness.create(name: "generic-rest-extension", token: token)
            await harness.emulator.store.reset()
            #expect(await harness.emulator.store.connectionSpecs().count == 260)
        }
    }

    @Test("filters: quoted or not, a comma is OR, repeated property= are ANDed, \\\" and \\\\ escape inside quotes")
    func filters() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let plain = try await harness.create(name: "plain", token: token)
            let other = try await harness.create(name: "other", token: token)
            let awkward = try await harness.create(name: #"a, \"b\" == c & é"#, token: token)

            func ids(_ query: String) async throws -> Set<String> {
                let reply = try await harness.flow("GET", "/connectionSpecs?" + query, token: token)
                #expect(reply.status == 200, "\(query): \(reply.text)")
                return Set((reply["/items"]?.arrayValue ?? []).compactMap { $0[JSONPointer("/id")]?.stringValue })
            }
            func encoded(_ text: String) -> String {
                text.utf8.map { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        String(Character(Unicode.Scalar(byte)))
                    default:
                        "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                    }
                }.joined()
            }
            #expect(try await ids("property=" + encoded("name==plain")) == [plain])
            #expect(try await ids("property=" + encoded(#"name=="plain""#)) == [plain])
            #expect(try await ids("property=" + encoded("name==plain,name==other")) == [plain, other])
            #expect(try await ids("property=" + encoded("name==plain") + "&property=" + encoded("name==other")) == [])
            #expect(try await ids("property=" + encoded("name==plain,name==other") + "&property=" + encoded("name!=other")) == [plain])
            #expect(try await ids("property=" + encoded(#"name=="a, \"b\" == c & é""#)) == [awkward])

            for bad in [#"name=="open"#, #"name=="x\y""#, "colour==red", "name", #"name=="a"b"#, #"name=="a, "b" == c & é""#] {
                let reply = try await harness.flow("GET", "/connectionSpecs?property=" + encoded(bad), token: token)
                #expect(reply.status == 400, "\(bad): \(reply.text)")
            }
        }
    }

    @Test("both seeded flow specs carry every documented field; a PUT that drops or renames one is refused, naming it")
    func flowSpecShape() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let streaming = try await harness.flow("GET", "/flowSpecs/\(Self.genericStreamingAEP)", token: token)
            #expect(streaming["/items/0/name"] == .string("GenericStreamingAEP"))
            #expect(streaming["/items/0/optionSpec/spec/properties/inletUrl"] != nil)
            let rest = try await harness.flow("GET", "/flowSpecs/\(Self.restStorageToAEP)", token: token)
            for field in ["name", "providerId", "version", "sourceConnectionSpecIds", "targetConnectionSpecIds", "optionSpec",
                          "transformationSpecs", "scheduleSpec", "attributes", "permissionsInfo"] {
                #expect(rest["/items/0/\(field)"] != nil, "\(field)")
            }
            #expect(rest["/items/0/scheduleSpec/spec/else/then/properties/interval/minimum"] == .number("15"))

            var body = try #require(rest["/items/0"]?.objectValue)
            for field in ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
                          "sandboxId", "sandboxName", "imsOrgId"] { body[field] = nil }
            let path = "/flowSpecs/\(Self.restStorageToAEP)"

            var dropped = body
            dropped["permissionsInfo"] = nil
            dropped["scheduleSpec"] = nil
            let refused = try await harness.flow("PUT", path, body: JSONValue.object(dropped).compactText, token: token)
            #expect(refused.status == 400)
            let message = refused["/report/detailed-message"]?.stringValue ?? ""
            #expect(message.contains("leaves out scheduleSpec, permissionsInfo"), "\(message)")

            var renamed = body
            renamed["transformationSpec"] = renamed["transformationSpecs"]
            renamed["transformationSpecs"] = nil
            let renaming = try await harness.flow("PUT", path, body: JSONValue.object(renamed).compactText, token: token)
            #expect(renaming.status == 400)
            let renameMessage = renaming["/report/detailed-message"]?.stringValue ?? ""
            #expect(renameMessage.contains("leaves out transformationSpecs") && renameMessage.contains("adds transformationSpec"), "\(renameMessage)")

            let onlyNames = try await harness.flow("PUT", path, body: #"{"name": "RestStorageToAEP", "providerId": "p"}"#, token: token)
            #expect(onlyNames.status == 400)
            let stored = try #require(await harness.emulator.store.flowSpec(id: Self.restStorageToAEP))
            #expect(stored[JSONPointer("/scheduleSpec")] == body["scheduleSpec"], "nothing was stored")

            // Every field kept, the id list changed: accepted.
            var kept = body
            kept["sourceConnectionSpecIds"] = .array([.string("00000000-0000-4000-8000-000000000001")])
            let accepted = try await harness.flow("PUT", path, body: JSONValue.object(kept).compactText, token: token)
            #expect(accepted.status == 200, "\(accepted.text)")
        }
    }

    @Test("a method a resource does not document is a 405 with Allow, as RFC 9110 requires")
    func allowHeader() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let delete = try await harness.flow("DELETE", "/connectionSpecs/00000000-0000-4000-8000-000000000000", token: token)
            #expect(delete.status == 405)
            #expect(delete.header("Allow") == "GET, PUT")
            #expect(delete["/type"] == .string("https://ns.adobe.com/aep/errors/FLOW-1106-405"))
            let post = try await harness.flow("POST", "/flowSpecs", body: "{}", token: token)
            #expect(post.header("Allow") == "GET")
            // Without a Content-Type a method the resource lacks is still a 405, not a 415.
            let bare = try await harness.flow("PUT", "/flowSpecs", token: token)
            #expect(bare.status == 405)
            let create = try await harness.flow("POST", "/connectionSpecs", token: token)
            #expect(create.status == 415, "a POST the resource has still needs application/json")
        }
    }

    @Test("a missing spec is answered in the configured form", arguments: MissingSpecAnswer.allCases)
    func missingSpec(_ answer: MissingSpecAnswer) async throws {
        try await EmulatorHarness.run({ $0.missingSpecAnswer = answer }) { harness in
            let token = try await harness.token()
            let reply = try await harness.flow("GET", "/connectionSpecs/00000000-0000-4000-8000-00000000dead", token: token)
            switch answer {
            case .platform404:
                #expect(reply.status == 404)
                #expect(reply["/report/request-id"] != nil)
            case .gateway404:
                #expect(reply.status == 404)
                #expect(reply["/error_code"] != nil)
            case .emptyItems:
                #expect(reply.status == 200)
                #expect(reply["/items"] == .array([]))
            }
        }
    }
}

private enum AdobeCatalogueOrg {
    static let id = "ADOBECATALOGUE00000000000@AdobeOrg"
}
