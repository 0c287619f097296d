import SpecSyncCore
import SpecSyncSourceRuntime
import Testing
import SpecSyncJSON

@Suite("JSONPath subset")
struct JSONPathTests {
    static let document = try! JSONParser().parse(#"{"data": {"items": [{"id": 1}, {"id": 2}], "next": null}, "odd key": [10, 20, 30], "hasMore": false}"#)

    @Test("dot names, quoted names, indexes and wildcards select what they name")
    func selects() throws {
        #expect(try JSONPath("$.data.items").select(in: Self.document).first?.arrayValue?.count == 2)
        #expect(try JSONPath("$['odd key'][1]").select(in: Self.document) == [.number("20")])
        #expect(try JSONPath(#"$["odd key"][-1]"#).select(in: Self.document) == [.number("30")])
        #expect(try JSONPath("$.data.items[*].id").select(in: Self.document) == [.number("1"), .number("2")])
        #expect(try JSONPath("$.data.items.*").select(in: Self.document).count == 2)
        #expect(try JSONPath("$").select(in: Self.document) == [Self.document])
        #expect(try JSONPath("$.hasMore").first(in: Self.document) == .bool(false))
        #expect(try JSONPath("$.missing.deeper").select(in: Self.document).isEmpty)
    }

    @Test("what is not in the subset is refused with the column where it starts")
    func refuses() {
        func failure(_ text: String) -> JSONPathError? {
            do { _ = try JSONPath(text); return nil } catch { return error }
        }
        #expect(failure("members")?.column == 1)
        #expect(failure("members")?.message.contains("must start with $") == true)
        #expect(failure("")?.message.contains("empty") == true)
        #expect(failure("$..id")?.message.contains("recursive descent") == true)
        #expect(failure("$.items[?(@.id)]")?.message.contains("filters") == true)
        #expect(failure("$.items[0:2]")?.message.contains("slices") == true)
        #expect(failure("$.items[0")?.column == 8)
        #expect(failure("$.")?.message.contains("a name must follow") == true)
        #expect(failure("$.a b")?.column == 4)
        #expect(failure("$['open")?.message.contains("not closed") == true)
    }

    @Test("a miss is explained by the deepest place reached and what it holds")
    func explainsMiss() throws {
        #expect(try JSONPath("$.members").explainMiss(in: Self.document) == "the response's top-level keys are data, odd key, hasMore")
        #expect(try JSONPath("$.data.records").explainMiss(in: Self.document) == "$.data's keys are items, next")
        #expect(try JSONPath("$.hasMore.x").explainMiss(in: Self.document) == "$.hasMore is a boolean")
    }
}
