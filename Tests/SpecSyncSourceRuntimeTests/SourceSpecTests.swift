import SpecSyncCore
import SpecSyncSourceRuntime
import Testing
import SpecSyncJSON

/// What makes a spec impossible to run is found before any request, each at its JSON pointer.
@Suite("reading a sourceSpec")
struct SourceSpecTests {
    static func problems(_ attributes: String) throws -> [PreviewDiagnostic] {
        let spec = try JSONParser().parse(#"{"sourceSpec": {"attributes": \#(attributes)}}"#)
        let (parsed, problems) = SourceSpec.parse(spec)
        #expect(parsed == nil || problems.isEmpty)
        return problems
    }

    @Test("a valid spec reads; a missing contentPath or an unreadable JSONPath is an error at its pointer")
    func contentPath() throws {
        #expect(try Self.problems(#"{"urlParams": {"path": "/items"}, "contentPath": "$.items"}"#).isEmpty)
        let missing = try Self.problems(#"{"urlParams": {"path": "/items"}}"#)
        #expect(missing.map(\.code) == ["content-path-missing"])
        #expect(missing.first?.pointer == JSONPointer("/sourceSpec/attributes/contentPath"))
        let syntax = try Self.problems(#"{"urlParams": {"path": "/items"}, "contentPath": {"path": "items[0"}}"#)
        #expect(syntax.first?.pointer == JSONPointer("/sourceSpec/attributes/contentPath/path"))
        #expect(syntax.first?.message == "items[0 is not a JSONPath this runtime reads: a path must start with $ (the whole response), as in $.items at column 1")
    }

    @Test("pagination problems name the member: unknown type, a missing name, a limit that is no number")
    func pagination() throws {
        let base = #"{"urlParams": {"path": "/items"}, "contentPath": "$.items", "paginationParams": "#
        let unknown = try Self.problems(base + #"{"type": "CURSOR"}}"#)
        #expect(unknown.first?.message == "pagination type 'CURSOR' is not one of OFFSET, POINTER, CONTINUATION_TOKEN, PAGE, NONE")
        #expect(unknown.first?.pointer == JSONPointer("/sourceSpec/attributes/paginationParams/type"))
        let noOffset = try Self.problems(base + #"{"type": "OFFSET", "limitName": "count", "limitValue": "100"}}"#)
        #expect(noOffset.first?.message == "OFFSET pagination needs offSetName")
        let badLimit = try Self.problems(base + #"{"type": "OFFSET", "limitName": "count", "limitValue": "many", "offSetName": "offset"}}"#)
        #expect(badLimit.first?.pointer == JSONPointer("/sourceSpec/attributes/paginationParams/limitValue"))
        let badPointer = try Self.problems(base + #"{"type": "POINTER", "pointerPath": "$..next"}}"#)
        #expect(badPointer.first?.code == "jsonpath-syntax")
        #expect(try Self.problems(base + #"{"type": "offset", "offsetName": "offset", "limitName": "count", "limitValue": 50}}"#).isEmpty,
                "the documented spellings: lower-case type, offsetName, a numeric limit")
    }

    @Test("the input file: auth needs a type, a window needs RFC 3339 times, unknown members are refused")
    func input() throws {
        func failure(_ text: String) throws -> PreviewInputError? {
            let json = try JSONParser().parse(text)
            do { _ = try PreviewInput(json: json); return nil } catch { return error }
        }
        #expect(try failure(#"{"auth": {"type": "BasicAuthentication", "username": "u"}, "params": {"n": 3, "b": true}}"#) == nil)
        #expect(try failure(#"{"auth": {"username": "u"}}"#)?.pointer == JSONPointer("/auth"))
        #expect(try failure(#"{"params": {"listId": ["a"]}}"#)?.description == "#/params/listId: expected a string, number or boolean, found an array")
        #expect(try failure(#"{"window": {"start": "yesterday", "end": "2024-01-01T00:00:00Z"}}"#)?.pointer == JSONPointer("/window/start"))
        #expect(try failure(#"{"param": {}}"#)?.message == "unknown member 'param'; the input holds auth, params and window")
    }
}
