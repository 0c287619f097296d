import SpecSyncCore
import Testing
import SpecSyncJSON

@Suite("JSON pointer positions")
struct JSONPointerLocatorTests {
    static let text = """
        {
          "name": "ünïcode \\"quoted\\" name", "after": 5,
          "a/b": {"x~y": 1},
          "sourceSpec": {
            "urlParams": {"path": "/v1", "method": "GET"},
            "list": [10, {"deep": [true, null]}, "z"]
          },
          "esc\\u0061ped": "yes"
        }
        """

    func position(_ pointer: String) -> String? {
        JSONPointerLocator.position(of: JSONPointer(pointer), in: Array(Self.text.utf8))?.description
    }

    @Test("the value a pointer names: members, array elements, escaped keys, columns in Unicode scalars")
    func values() {
        #expect(position("/name") == "2:11")
        #expect(position("/after") == "2:47", "columns count Unicode scalars, not bytes")
        #expect(position("/sourceSpec/urlParams/method") == "5:44")
        #expect(position("/sourceSpec/urlParams") == "5:18")
        #expect(position("/sourceSpec/list/1/deep/1") == "6:34")
        #expect(position("/sourceSpec/list/2") == "6:42")
        #expect(position("/a~1b/x~0y") == "3:18")
        #expect(position("/escaped") == "8:19")
    }

    @Test("a member that is not there: its deepest ancestor below the root, where it would go; nil at the root or in text that is not JSON")
    func missing() {
        #expect(position("/sourceSpec/urlParams/body") == "5:18")
        #expect(position("/sourceSpec/list/9") == "6:13")
        #expect(position("/nothing") == nil)
        #expect(position("") == nil)
        #expect(JSONPointerLocator.position(of: JSONPointer("/a/b"), in: Array("{ \"a\": ".utf8)) == nil)
        #expect(JSONPointerLocator.position(of: JSONPointer("/a"), in: Array("not json".utf8)) == nil)
    }
}
