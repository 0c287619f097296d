import Foundation
import Testing
import SpecSyncTestSupport
@testable import SpecSyncCore
import SpecSyncJSON
import SpecSyncConfiguration

@Suite("Sources SDK rules")
struct SourcesSDKValidatorTests {
    let file = "Sources/x/Artifacts/x-connectionSpec.json"

    /// Seed 002's POST body, edited by `edit`: every finding of the evaluator's spec rules.
    func diagnostics(_ edit: (inout JSONValue) -> Void = { _ in }) throws -> [Diagnostic] {
        var body = try Fixture.json("seed002-post-request.json")
        edit(&body)
        return SpecValidator().validate(body: body, file: file) + SourcesSDKValidator().validate(body: body, file: file)
    }

    func finding(_ pointer: String, _ edit: (inout JSONValue) -> Void) throws -> Diagnostic {
        try #require(try diagnostics(edit).first { $0.pointer == JSONPointer(pointer) })
    }

    @Test("the seed's body and the three example bundles meet every SDK rule")
    func cleanBodies() throws {
        #expect(try SourcesSDKValidator().validate(body: Fixture.json("seed002-post-request.json"), file: file).isEmpty)
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/examples/Sources")
        for name in ["mailchimp-members", "mailchimp-campaigns", "acme-orders"] {
            let data = try Data(contentsOf: examples.appendingPathComponent("\(name)/Artifacts/\(name)-connectionSpec.json"))
            let body = try JSONParser().parse(Array(data))
            #expect(SourcesSDKValidator().validate(body: body, file: name).isEmpty, "\(name)")
        }
    }

    @Test("an unknown schema type is an error at its pointer, with a suggestion")
    func unknownType() throws {
        let found = try finding("/authSpec/0/spec/properties/domain/type") {
            $0.set(JSONPointer("/authSpec/0/spec/properties/domain/type"), to: .string("String"))
        }
        #expect(found.severity == .error)
        #expect(found.code == "invalid-schema")
        #expect(found.message.contains("'String'"))
        #expect(found.help == "did you mean 'string'?")
    }

    @Test("every name in 'required' must be a property the schema defines")
    func requiredSubsetOfProperties() throws {
        let found = try finding("/authSpec/1/spec/required/2") {
            $0.set(JSONPointer("/authSpec/1/spec/required/2"), to: .string("passwd"))
        }
        #expect(found.code == "required-not-defined")
        #expect(found.message.contains("'passwd'"))
        #expect(found.help?.contains("/authSpec/1/spec/properties") == true)
    }

    @Test("malformed keywords inside nested schemas are found where they are")
    func nestedKeywords() throws {
        let pointer = "/exploreSpec/responseSpec/properties/schema/properties/columns/items"
        #expect(try finding(pointer) { $0.set(JSONPointer(pointer), to: .string("object")) }.code == "invalid-schema")
        #expect(try finding("/sourceSpec/spec/required") { $0.set(JSONPointer("/sourceSpec/spec/required"), to: .string("listId")) }
            .message.contains("array of property names"))
        #expect(try finding("/sourceSpec/spec/properties/listId/minLength") {
            $0.set(JSONPointer("/sourceSpec/spec/properties/listId/minLength"), to: .number("-1"))
        }.code == "invalid-schema")
    }

    @Test("contentPath and explodeEntityPath must be JSONPath", arguments: [
        ("members", "must start with '$'"), ("$.members[", "never closed"), ("$.", "ends with '.'"),
        ("$.members]", "not allowed here"), ("$[]", "empty"),
    ])
    func invalidJSONPath(_ path: String, _ words: String) throws {
        let found = try finding("/sourceSpec/attributes/contentPath/path") {
            $0.set(JSONPointer("/sourceSpec/attributes/contentPath/path"), to: .string(path))
        }
        #expect(found.code == "invalid-jsonpath")
        #expect(found.message.contains(words), "\(found.message)")
        let exploded = try finding("/sourceSpec/attributes/explodeEntityPath") {
            $0.set(JSONPointer("/sourceSpec/attributes/explodeEntityPath"), to: .string(path))
        }
        #expect(exploded.code == "invalid-jsonpath")
    }

    @Test("JSONPath forms the SDK documents parse", arguments: [
        "$", "$.members", "$.email.activity", "$.data[*].items", "$..id", "$['odd key']", "$[0]", "$[0:10:2]",
        "$[?(@.active == true)]", "$.items[0,1]",
    ])
    func validJSONPath(_ path: String) {
        #expect(JSONPathSyntax().problem(in: path) == nil)
    }

    @Test("${var} in bodyParams and paginationParams must name a property")
    func undefinedVariables() throws {
        let found = try finding("/sourceSpec/attributes/bodyParams/query") {
            $0.set(JSONPointer("/sourceSpec/attributes/bodyParams"), to: .object(JSONObject(["query": .string("list=${listID}")])))
        }
        #expect(found.code == "undefined-variable")
        #expect(found.message.contains("${listID}"))
        let defined = try diagnostics {
            $0.set(JSONPointer("/sourceSpec/attributes/bodyParams"), to: .object(JSONObject(["query": .string("list=${listId}")])))
        }
        #expect(!defined.contains { $0.code == "undefined-variable" })
    }

    @Test("a Streaming SDK spec needs no auth and no URL, and is recognised as streaming")
    func streamingTemplate() throws {
        let body = try JSONParser().parse(Array(Self.streamingTemplate.utf8))
        #expect(StreamingSpec.isStreaming(body))
        #expect(!StreamingSpec.isStreaming(try Fixture.json("seed002-post-request.json")))
        // The body a pass holds tells it without being read back.
        #expect(ReplacementBody(bundle: "streamer", value: body).isStreaming)
        #expect(!ReplacementBody(bundle: "batch", value: try Fixture.json("seed002-post-request.json")).isStreaming)
        let found = SpecValidator().validate(body: body, file: file) + SourcesSDKValidator().validate(body: body, file: file)
        #expect(!found.hasErrors, "\(found)")
    }

    @Test("Streaming SDK specs register in GenericStreamingAEP by default, batch ones in RestStorageToAEP")
    func streamingFlowSpec() {
        var settings = FlowServiceSettings()
        let bundle = BundleID("medallia")
        #expect(settings.flowSpecs.flowSpec(for: bundle, streaming: true) == "e77fde5a-22a8-11ed-861d-0242ac120002")
        #expect(settings.flowSpecs.flowSpec(for: bundle, streaming: false) == FlowServiceSettings.restStorageToAEP)
        #expect(settings.flowSpecs.reason(for: bundle, streaming: true).contains("GenericStreamingAEP"))
        settings.flowSpecBundles = ["medallia": "custom-flow-spec"]
        #expect(settings.flowSpecs.flowSpec(for: bundle, streaming: true) == "custom-flow-spec")
        settings.flowSpecId = nil
        settings.flowSpecBundles = [:]
        #expect(settings.flowSpecs.flowSpec(for: bundle, streaming: true) == nil)
    }

    /// The Streaming SDK's template (streaming/create.md), filled in.
    static let streamingTemplate = #"""
    {"name": "generic-streaming", "type": "generic-streaming", "description": "Medallia streaming",
     "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033", "version": "1.0",
     "attributes": {"category": "Streaming", "isSource": true},
     "authSpec": [],
     "sourceSpec": {"attributes": {"authRequired": false, "uiAttributes": {"isSource": true, "category": {"key": "streaming"}}}},
     "exploreSpec": {"type": "StreamingConnection"}}
    """#
}
