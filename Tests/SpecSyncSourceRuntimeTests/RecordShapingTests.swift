import SpecSyncCore
import SpecSyncSourceRuntime
import Testing
import SpecSyncJSON

@Suite("records: contentPath shaping and schema inference")
struct RecordShapingTests {
    static func json(_ text: String) -> JSONValue { try! JSONParser().parse(text) }

    @Test("skipAttributes, keepAttributes and overrideWrapperAttribute shape every record")
    func shapes() throws {
        let response = Self.json(#"{"members": [{"id": "a", "email": "a@x", "_links": [], "list_id": "l"}], "total_items": 1}"#)
        let skip = RecordSelector(path: try JSONPath("$.members"), skipAttributes: ["_links", "list_id"], overrideWrapperAttribute: "member")
        let items = try #require(skip.items(in: response))
        #expect(items.count == 1)
        #expect(skip.shape(items[0]) == Self.json(#"{"member": {"id": "a", "email": "a@x"}}"#))
        let keep = RecordSelector(path: try JSONPath("$.members"), keepAttributes: ["email"])
        #expect(keep.shape(items[0]) == Self.json(#"{"email": "a@x"}"#))
        #expect(skip.items(in: Self.json(#"{"data": []}"#)) == nil, "no match is nil, not an empty page")
        #expect(skip.items(in: Self.json(#"{"members": []}"#)) == [], "an empty array is an empty page")
    }

    @Test("the schema has every member's type, nested objects, array items and what every record has")
    func infersSchema() {
        var schema = RecordSchema()
        schema.add(Self.json(#"{"id": 1, "name": "a", "at": "2024-01-01T00:00:00Z", "tags": ["x"], "address": {"city": "Basel"}}"#))
        schema.add(Self.json(#"{"id": 2.5, "name": null, "at": "2024-01-02T00:00:00Z", "tags": []}"#))
        #expect(schema.json == Self.json(#"""
            {"type": "object", "properties": {
                "id": {"type": "number"},
                "name": {"type": ["null", "string"]},
                "at": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "address": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
            }, "required": ["id", "name", "at", "tags"]}
            """#))
    }

    @Test("${var} placeholders are filled, and every missing name is reported")
    func placeholders() {
        let template = PlaceholderTemplate("/3.0/lists/${listId}/members?x=${a}&y=${b}")
        #expect(template.names == ["listId", "a", "b"])
        #expect(template.fill { ["listId": "L", "a": "1", "b": "2"][$0] } == .success("/3.0/lists/L/members?x=1&y=2"))
        #expect(template.fill { $0 == "a" ? "1" : nil } == .failure(.init(names: ["listId", "b"])))
    }
}
