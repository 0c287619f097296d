import Testing
@testable import SpecSyncCore
@testable import SpecSyncConfiguration
@testable import SpecSyncJSON

@Suite("Full replacement body")
struct ReplacementBodyTests {
    let builder = ReplacementBodyBuilder(layout: BundleLayout())

    @Test("seed specs round-trip: the body is the file minus server fields, byte for byte in canonical form",
          arguments: ["seed001-put-request", "seed002-post-request", "seed001-put-response", "seed002-post-response"])
    func seedsRoundTrip(_ name: String) throws {
        let result = builder.build(Fixture.bundle(spec: try Fixture.bytes(name + ".json")))
        let body = try #require(result.body)
        let expected = try Fixture.bytes(name + ".canonical.json")
        #expect(String(decoding: body.canonicalBytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(body.hash == JSONValue.sha256Hex(expected))
        #expect(!result.diagnostics.hasErrors)
    }

    @Test("the GET response of seed 001 pasted as a spec yields a valid body, with one warning")
    func pastedResponse() throws {
        let bundle = Fixture.bundle(spec: try Fixture.bytes("seed001-put-response.json"), icon: Fixture.validIcon)
        let evaluated = BundleEvaluator(layout: BundleLayout()).evaluate(bundle)
        let body = try #require(evaluated.body)
        #expect(evaluated.isSendable)
        for field in ReplacementBodyBuilder.serverOwnedFields {
            #expect(body.value.objectValue?.contains(field) == false, "\(field) leaked into the body")
        }
        let warnings = evaluated.diagnostics.filter { $0.code == "server-owned-field" }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("'imsOrgId'") == true)
        #expect(evaluated.diagnostics.filter { $0.severity == .error }.isEmpty, "\(evaluated.diagnostics)")
    }

    @Test("quirks survive: offSetName, limitValue as a string, the spaced $schema, contentPath as a string")
    func quirks() throws {
        let body = try #require(builder.build(Fixture.bundle(spec: try Fixture.bytes("seed001-put-response.json"))).body)
        let attributes = JSONPointer("/sourceSpec/attributes")
        #expect(body.value[attributes.appending("paginationParams").appending("offSetName")] == .string("offset"))
        #expect(body.value[attributes.appending("paginationParams").appending("limitValue")] == .string("100"))
        #expect(body.value[attributes.appending("contentPath")] == .string("$.members"))
        #expect(body.value[JSONPointer("/exploreSpec/responseSpec/$schema")] == .string("http: //json-schema.org/draft-07/schema#"))
    }

    @Test("a {DESCRIPTION} placeholder or a missing description takes the description file")
    func descriptionFromSidecar() throws {
        let template = try Fixture.bytes("seed002-template.json")
        let body = try #require(builder.build(Fixture.bundle(spec: template, description: "  Members of an audience.\n")).body)
        #expect(body.value[JSONPointer("/description")] == .string("Members of an audience."))

        let missing = try #require(builder.build(Fixture.bundle(spec: #"{"name":"x"}"#, description: "From file")).body)
        #expect(missing.value[JSONPointer("/description")] == .string("From file"))

        let stated = try #require(builder.build(Fixture.bundle(spec: #"{"description":"Stated"}"#, description: "From file")).body)
        #expect(stated.value[JSONPointer("/description")] == .string("Stated"))
    }

    @Test("missing uiAttributes label, description and category come from the sidecars; what the spec states wins")
    func uiAttributesFromSidecars() throws {
        let spec = #"{"name":"x","sourceSpec":{"attributes":{"uiAttributes":{"isSource":true,"label":{"key":"ownLabel"}}}}}"#
        let body = try #require(builder.build(Fixture.bundle(spec: spec, label: "Label text", description: "Desc text", category: "crm")).body)
        let ui = JSONPointer("/sourceSpec/attributes/uiAttributes")
        #expect(body.value[ui.appending("label")] == .object(JSONObject(["key": .string("ownLabel")])))
        #expect(body.value[ui.appending("description")] == .object(JSONObject(["text": .string("Desc text")])))
        #expect(body.value[ui.appending("category")] == .object(JSONObject(["key": .string("crm")])))
        #expect(body.value[ui.appending("isSource")] == .bool(true))
    }

    @Test("uiAttributes are created under an existing sourceSpec, never without one")
    func uiAttributesCreation() throws {
        let created = try #require(builder.build(Fixture.bundle(spec: #"{"sourceSpec":{}}"#, label: "L")).body)
        #expect(created.value[JSONPointer("/sourceSpec/attributes/uiAttributes/label/text")] == .string("L"))
        let untouched = try #require(builder.build(Fixture.bundle(spec: #"{"name":"x"}"#, label: "L")).body)
        #expect(untouched.value == (try JSONParser().parse(#"{"name":"x"}"#)))
        let notAnObject = try #require(builder.build(Fixture.bundle(spec: #"{"sourceSpec":{"attributes":[]}}"#, label: "L")).body)
        #expect(notAnObject.value[JSONPointer("/sourceSpec/attributes")] == .array([]))
    }

    @Test("sidecar edits change the body hash; icon edits do not")
    func hashFollowsBody() throws {
        let spec = try Fixture.bytes("seed002-template.json")
        let a = try #require(builder.build(Fixture.bundle(spec: spec, description: "One")).body)
        let b = try #require(builder.build(Fixture.bundle(spec: spec, description: "Two")).body)
        let c = try #require(builder.build(Fixture.bundle(spec: spec, description: "One", icon: "<svg/>")).body)
        #expect(a.hash != b.hash)
        #expect(a.hash == c.hash)
        // Whitespace and member order in the file do not matter.
        let reformatted = try JSONParser().parse(spec).prettyPrinted(indent: 7)
        let d = try #require(builder.build(Fixture.bundle(spec: reformatted, description: "One")).body)
        #expect(a.hash == d.hash)
    }

    @Test("a spec that cannot become a body says why", arguments: [
        ("", "json-syntax"), ("[1,2]", "not-an-object"), ("\"text\"", "not-an-object"), ("{\"a\":", "json-syntax"),
    ])
    func unusableSpecs(_ spec: String, _ code: String) throws {
        let result = builder.build(Fixture.bundle(spec: spec))
        #expect(result.body == nil)
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.file == "Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json")
    }

    @Test("sidecars: empty ones are ignored with a warning, non-UTF-8 ones are errors, symlinks are refused")
    func sidecarProblems() throws {
        var bundle = Fixture.bundle(spec: #"{"name":"x"}"#, description: " \n")
        bundle.files[.label] = BundleFile(path: "Sources/mailchimp-members/Artifacts/mailchimp-members-label.txt", bytes: [0xFF, 0xFE])
        let result = builder.build(bundle)
        #expect(result.diagnostics.map(\.code).sorted() == ["sidecar-empty", "sidecar-encoding"])
        #expect(result.body?.value[JSONPointer("/description")] == nil)

        var linked = Fixture.bundle(spec: "{}")
        linked.files[.spec] = BundleFile(path: "Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json", bytes: [], isSymlink: true)
        #expect(builder.build(linked).diagnostics.map(\.code) == ["symlink"])
    }

    @Test("a top-level value that is not an object is reported where it starts")
    func notAnObjectPosition() throws {
        let result = builder.build(Fixture.bundle(spec: "\n\n   [1, 2]\n"))
        #expect(result.diagnostics.map(\.location) == ["Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json:3:4"])
    }

    @Test("a file over the size limit is one error naming its size and the limit, and is not parsed")
    func oversizedFiles() throws {
        let path = "Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json"
        var bundle = Fixture.bundle(spec: "{}")
        bundle.files[.spec] = .unread(path: path, size: 20 << 20)
        let result = builder.build(bundle)
        #expect(result.body == nil)
        #expect(result.diagnostics.map(\.description) == [
            "\(path): error: the file is 20971520 bytes; the limit for a bundle file is 8 MiB (8388608 bytes), so it was not read"
                + " (a file this large is usually generated or committed by mistake; shrink it below the limit)",
        ])
        var sidecar = Fixture.bundle(spec: #"{"name":"x"}"#)
        sidecar.files[.label] = .unread(path: "Sources/mailchimp-members/Artifacts/mailchimp-members-label.txt", size: BundleFile.maximumSize + 1)
        #expect(builder.build(sidecar).diagnostics.map(\.code) == ["file-too-large"])
    }

    @Test("a sidecar that is not UTF-8 is reported at its first bad byte")
    func sidecarEncodingPosition() throws {
        var bundle = Fixture.bundle(spec: #"{"name":"x"}"#)
        bundle.files[.label] = BundleFile(path: "label.txt", bytes: Array("Caf\u{E9}\nna".utf8) + [0xE9, 0x21])
        #expect(builder.build(bundle).diagnostics.map(\.location) == ["label.txt:2:3"])
    }

    @Test("a bundle without a spec file is an error naming the expected path")
    func missingSpec() {
        let result = builder.build(SpecBundle(id: BundleID("ghost"), files: [:]))
        #expect(result.diagnostics.first?.code == "missing-spec")
        #expect(result.diagnostics.first?.file == "Sources/ghost/Artifacts/ghost-connectionSpec.json")
    }
}
