import Testing
@testable import SpecSyncCore
@testable import SpecSyncConfiguration
@testable import SpecSyncJSON

@Suite("Connection bundles: layout, bodies, rules")
struct ConnectionBundleTests {
    let flxpoint = BundleLayout(root: "Connections/flxpoint", resource: .flxpointConnection)
    let versori = BundleLayout(root: "Connections/versori", resource: .versoriConnection)

    static func canonical(_ json: String) throws -> [UInt8] {
        try JSONParser().parse(Array(json.utf8)).canonicalBytes
    }

    func bundle(_ layout: BundleLayout, _ id: String, _ json: String) -> SpecBundle {
        let id = BundleID(id)
        return SpecBundle(id: id, files: [.spec: BundleFile(path: layout.path(of: .spec, in: id), bytes: Array(json.utf8))])
    }

    @Test("a Flxpoint connection is <root>/<name>.json; a Versori one <root>/<connector>/<name>.json")
    func paths() {
        #expect(flxpoint.path(of: .spec, in: BundleID("warehouse")) == "Connections/flxpoint/warehouse.json")
        #expect(flxpoint.fileKind(of: "Connections/flxpoint/warehouse.json")?.0 == BundleID("warehouse"))
        #expect(flxpoint.bundle(containing: "Connections/flxpoint/README.md") == nil)
        #expect(flxpoint.bundle(containing: "Connections/flxpoint/nested/x.json") == nil)
        #expect(flxpoint.bundle(containing: "Connections/flxpoint/.hidden.json") == nil)
        #expect(flxpoint.fileKinds == [.spec])
        #expect(flxpoint.fileDepth == 1)

        let id = BundleID("shopify/eu-store")
        #expect(versori.path(of: .spec, in: id) == "Connections/versori/shopify/eu-store.json")
        #expect(versori.filesFolder(id) == "Connections/versori/shopify")
        #expect(versori.fileKind(of: "Connections/versori/shopify/eu-store.json")?.0 == id)
        #expect(versori.bundle(containing: "Connections/versori/eu-store.json") == nil)
        #expect(versori.group(of: id) == "shopify")
        #expect(versori.fileDepth == 2)
        // The connection spec layout is unchanged.
        #expect(BundleLayout().path(of: .spec, in: BundleID("a")) == "Sources/a/Artifacts/a-connectionSpec.json")
        #expect(BundleLayout().fileDepth == 3)
    }

    @Test("a pasted Flxpoint GET answer becomes {connectionType, name, configs:[{handle, value}]}, with warnings")
    func flxpointPastedAnswer() throws {
        let answer = """
            {"id": 17, "connectionType": "ShopifyChannel", "connectionTypeId": 4, "connectionTypeName": "Shopify",
             "requiresConnectionToTest": true, "name": "EU store",
             "configs": [{"handle": "shop", "name": "Shop", "required": true, "dataType": "string", "value": "eu.myshopify.com", "sortOrder": 0},
                         {"handle": "apiPassword", "value": "$(env:SHOP_PASSWORD)"}]}
            """
        let builder = ReplacementBodyBuilder(
            layout: flxpoint, customization: BodyCustomization(secrets: SecretLookup(environment: ["SHOP_PASSWORD": "hunter2"])))
        let result = builder.build(bundle(flxpoint, "eu-store", answer))
        let body = try #require(result.body)
        #expect(body.canonicalBytes == (try Self.canonical(#"{"connectionType":"ShopifyChannel","name":"EU store","configs":[{"handle":"shop","value":"eu.myshopify.com"},{"handle":"apiPassword","value":"hunter2"}]}"#)))
        #expect(body.sensitivePointers == [JSONPointer("/configs/1/value")])
        #expect(result.diagnostics.filter { $0.code == "server-owned-field" }.count == 2)
        let evaluated = BundleEvaluator(layout: flxpoint, customization: builder.customization).evaluate(bundle(flxpoint, "eu-store", answer))
        #expect(!evaluated.diagnostics.hasErrors, "\(evaluated.diagnostics)")
    }

    @Test("a masked Flxpoint value is refused: sending it would overwrite the secret")
    func flxpointMaskedValue() {
        let evaluated = BundleEvaluator(layout: flxpoint).evaluate(bundle(flxpoint, "a", """
            {"connectionType": "T", "name": "A", "configs": [{"handle": "password", "value": "********"}]}
            """))
        #expect(!evaluated.isSendable)
        let masked = evaluated.diagnostics.first { $0.code == "masked-value" }
        #expect(masked?.pointer == JSONPointer("/configs/0/value"))
        #expect(masked?.location == "Connections/flxpoint/a.json#/configs/0/value")
    }

    @Test("Flxpoint rules name each problem's pointer", arguments: [
        (#"{"name": "A", "configs": []}"#, "missing-field", "/connectionType"),
        (#"{"connectionType": "T", "name": 3, "configs": []}"#, "wrong-type", "/name"),
        (#"{"connectionType": "T", "name": "A", "configs": [{"handle": "h"}]}"#, "missing-field", "/configs/0/value"),
        (#"{"connectionType": "T", "name": "A", "configs": [{"handle": "h", "value": "1"}, {"handle": "h", "value": "2"}]}"#, "duplicate-key", "/configs/1/handle"),
        (#"{"connectionType": "T", "name": "A", "configs": [], "enabled": true}"#, "unknown-field", "/enabled"),
        (#"{"connectionType": "T", "name": "A", "configs": ["x"]}"#, "wrong-type", "/configs/0"),
    ])
    func flxpointRules(_ json: String, _ code: String, _ pointer: String) {
        let evaluated = BundleEvaluator(layout: flxpoint).evaluate(bundle(flxpoint, "a", json))
        #expect(!evaluated.isSendable)
        #expect(evaluated.diagnostics.contains { $0.code == code && $0.pointer == JSONPointer(pointer) }, "\(evaluated.diagnostics)")
    }

    @Test("a Versori file without variables gets variables: [] (omitting would keep the old ones), with a warning")
    func versoriVariablesExplicit() throws {
        let evaluated = BundleEvaluator(layout: versori).evaluate(bundle(versori, "shopify/eu", """
            {"id": "01HX", "name": "eu", "credentials": {"action": []}, "createdAt": "2026-01-01T00:00:00Z"}
            """))
        let body = try #require(evaluated.body)
        #expect(body.canonicalBytes == (try Self.canonical(#"{"name":"eu","credentials":{"action":[]},"variables":[]}"#)))
        #expect(evaluated.isSendable)
        #expect(evaluated.diagnostics.map(\.code).sorted() == ["server-owned-field", "variables-implicit"])
    }

    @Test("Versori rules name each problem's pointer", arguments: [
        (#"{"name": "eu", "variables": []}"#, "missing-field", "/credentials"),
        (#"{"name": "eu", "credentials": {}, "variables": [{"name": "a", "value": 1}]}"#, "wrong-type", "/variables/0/value"),
        (#"{"name": "eu", "credentials": {}, "variables": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}"#, "duplicate-key", "/variables/1/name"),
        (#"{"name": "eu", "credentials": {"other": []}, "variables": []}"#, "invalid-value", "/credentials/other"),
        (#"{"name": "", "credentials": {}, "variables": []}"#, "empty-field", "/name"),
    ])
    func versoriRules(_ json: String, _ code: String, _ pointer: String) {
        let evaluated = BundleEvaluator(layout: versori).evaluate(bundle(versori, "c/eu", json))
        #expect(!evaluated.isSendable)
        #expect(evaluated.diagnostics.contains { $0.code == code && $0.pointer == JSONPointer(pointer) }, "\(evaluated.diagnostics)")
    }

    @Test("Versori names must be unique per connector only")
    func versoriDuplicateNamesPerConnector() {
        let json = #"{"name": "main", "credentials": {}, "variables": []}"#
        let evaluated = BundleEvaluator(layout: versori).evaluate([
            bundle(versori, "shopify/a", json), bundle(versori, "netsuite/a", json), bundle(versori, "shopify/b", json),
        ])
        let duplicates = evaluated.filter { $0.diagnostics.contains { $0.code == "duplicate-name" } }.map(\.id.source)
        #expect(duplicates.sorted() == ["shopify/a", "shopify/b"])
    }
}
