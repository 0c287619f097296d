import SpecSyncCore
import SpecSyncJSON
@testable import SpecSyncTargets
import Testing

/// The pure parts of the Flow Service client's safety: which names the filter can carry, which next
/// links continue a listing, what counts as a change to a shared flow spec, whose spec it is.
@Suite("Flow Service listings and ownership")
struct FlowServiceListingTests {
    static let base = "https://platform.adobe.io/data/foundation/flowservice"

    @Test("names the filter syntax gives no second meaning go through the filter; the others read the listing")
    func filterNames() {
        for name in ["MailChimp Members source", "R&D source", "Café é source", String(repeating: "x", count: 200), "a/b (c)"] {
            #expect(FlowServiceClient.filterExpressesExactly(name), "\(name)")
        }
        for name in ["a, b", #"say "hi""#, #"back\slash"#, "x==y", "x!=y", "a<b", " leading", "trailing ", "tab\tin", ""] {
            #expect(!FlowServiceClient.filterExpressesExactly(name), "\(name)")
        }
    }

    @Test("a next link continues the listing only under the service base")
    func nextLinks() {
        let relative = FlowServiceClient.relative("/connectionSpecs?continuationToken=abc&limit=20", base: Self.base)
        #expect(relative?.path == "/connectionSpecs")
        #expect(relative?.query == "continuationToken=abc&limit=20")
        #expect(FlowServiceClient.relative(Self.base + "/connectionSpecs?continuationToken=x", base: Self.base)?.path == "/connectionSpecs")
        #expect(FlowServiceClient.relative("/data/foundation/flowservice/connectionSpecs?continuationToken=x", base: Self.base)?.path == "/connectionSpecs")
        #expect(FlowServiceClient.relative("/connectionSpecs", base: Self.base)?.query == nil)
        for foreign in ["https://elsewhere.example/connectionSpecs?continuationToken=x", "//elsewhere.example/connectionSpecs", "connectionSpecs?x=1"] {
            #expect(FlowServiceClient.relative(foreign, base: Self.base) == nil, "\(foreign)")
        }
    }

    @Test("a flow spec changed outside its id lists is named by pointer; server fields and id lists are not changes")
    func flowSpecChanges() throws {
        let before = try JSONParser().parse(#"""
            {"id": "f", "updatedAt": 1, "name": "RestStorageToAEP", "sourceConnectionSpecIds": ["a"],
             "transformationSpecs": [{"name": "Mapping"}], "permissionsInfo": {"view": []}}
            """#)
        let listed = try JSONParser().parse(#"""
            {"id": "f", "updatedAt": 2, "name": "RestStorageToAEP", "sourceConnectionSpecIds": ["a", "b"],
             "transformationSpecs": [{"name": "Mapping"}], "permissionsInfo": {"view": []}}
            """#)
        #expect(FlowServiceClient.changedOutsideIDLists(before: before, after: listed) == nil)
        let dropped = try JSONParser().parse(#"""
            {"id": "f", "updatedAt": 2, "name": "RestStorageToAEP", "sourceConnectionSpecIds": ["a", "b"],
             "permissionsInfo": {"view": []}}
            """#)
        #expect(FlowServiceClient.changedOutsideIDLists(before: before, after: dropped) == "/transformationSpecs is gone")
        let renamed = try JSONParser().parse(#"""
            {"id": "f", "name": "RestStorageToAEP", "transformationSpecs": [{"name": "Other"}], "permissionsInfo": {"view": []}}
            """#)
        #expect(FlowServiceClient.changedOutsideIDLists(before: before, after: renamed) == "/transformationSpecs/0/name changed")
    }

    @Test("ownership: this client's spec is ours, another client's is foreign, another org's is never ours")
    func ownership() throws {
        let owner = SpecOwner(clientID: "specsync", orgID: "ORG@AdobeOrg")
        func spec(client: String?, org: String?) throws -> RemoteSpec {
            var object = JSONObject(["id": .string("x"), "name": .string("n")])
            if let client { object["createdClient"] = .string(client) }
            if let org { object["imsOrgId"] = .string(org) }
            return try RemoteSpec(document: .object(object))
        }
        #expect(SpecOwnership(of: try spec(client: "specsync", org: "ORG@AdobeOrg"), owner: owner) == .ours)
        #expect(SpecOwnership(of: try spec(client: "colleague", org: "ORG@AdobeOrg"), owner: owner) == .foreign(createdClient: "colleague"))
        #expect(SpecOwnership(of: try spec(client: nil, org: nil), owner: owner) == .foreign(createdClient: nil), "an unknown creator is not assumed to be us")
        #expect(SpecOwnership(of: try spec(client: "specsync", org: "ADOBE@AdobeOrg"), owner: owner)
                == .otherOrg(orgID: "ADOBE@AdobeOrg", createdClient: "specsync"))
        #expect(SpecOwnership(of: try spec(client: nil, org: nil), owner: nil) == .ours, "a target that records no owners")
        let remote = try spec(client: "colleague", org: "ORG@AdobeOrg")
        #expect(remote.createdClient == "colleague")
        #expect(remote.orgID == "ORG@AdobeOrg")
    }
}
