import Testing
@testable import SpecSyncCore
@testable import SpecSyncConfiguration
@testable import SpecSyncJSON

@Suite("JSON parser")
struct JSONParserTests {
    let parser = JSONParser()

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        do { _ = try parser.parse(text); return nil } catch { return error }
    }

    @Test("seed 000 (broken JSON) fails at the line and column of the missing comma")
    func seed000() throws {
        let bytes = try Fixture.bytes("seed000-broken.json")
        let error = try #require(throws: JSONSyntaxError.self) { try parser.parse(bytes) }
        // Python's json module agrees: "Expecting ',' delimiter: line 11 column 1".
        #expect(error.line == 11)
        #expect(error.column == 1)
        #expect(error.message.contains("expected ',' or '}'"))
        #expect(error.message.contains("explorePaginationSupported"))
    }

    @Test("every seed document parses", arguments: [
        "seed001-put-request.json", "seed001-put-response.json", "seed002-template.json",
        "seed002-post-request.json", "seed002-post-response.json",
    ])
    func seedsParse(_ name: String) throws {
        let value = try Fixture.json(name)
        #expect(value.objectValue?.contains("name") == true)
    }

    @Test("values keep their written form: string numbers, number spellings, the $schema quirk")
    func preservesWrittenForm() throws {
        let value = try parser.parse(#"{"limitValue":"100","a":1.0,"b":1e5,"c":-0,"d":1E+2,"$schema":"http: //json-schema.org/draft-07/schema#"}"#)
        #expect(value[JSONPointer("/limitValue")] == .string("100"))
        #expect(value[JSONPointer("/a")] == .number("1.0"))
        #expect(String(decoding: value.canonicalBytes, as: UTF8.self)
            == #"{"$schema":"http: //json-schema.org/draft-07/schema#","a":1.0,"b":1e5,"c":-0,"d":1E+2,"limitValue":"100"}"#)
    }

    @Test("member order is kept as written; the canonical form sorts keys by UTF-8 bytes")
    func memberOrder() throws {
        let value = try parser.parse(#"{"z":1,"é":2,"a":{"y":true,"b":null}}"#)
        #expect(value.objectValue?.keys == ["z", "é", "a"])
        #expect(String(decoding: value.canonicalBytes, as: UTF8.self) == #"{"a":{"b":null,"y":true},"z":1,"é":2}"#)
    }

    @Test("escapes decode, and the canonical form escapes only what it must")
    func escapes() throws {
        let value = try parser.parse(#"["\u00e9\ud83d\ude00","a\"b\\c\/d\n\t\u0001"]"#)
        #expect(value.arrayValue?[0] == .string("é😀"))
        #expect(value.arrayValue?[1] == .string("a\"b\\c/d\n\t\u{01}"))
        #expect(String(decoding: value.canonicalBytes, as: UTF8.self) == #"["é😀","a\"b\\c/d\n\t\u0001"]"#)
    }

    @Test("canonical form is stable: parsing it again gives the same bytes")
    func canonicalIdempotent() throws {
        let value = try Fixture.json("seed002-template.json")
        let once = value.canonicalBytes
        #expect(try parser.parse(once).canonicalBytes == once)
    }

    @Test("canonical hash is SHA-256 of the canonical bytes")
    func hash() throws {
        // sha256("{}") and sha256("[1]") computed with `printf '{}' | sha256sum`.
        #expect(try parser.parse(" { } ").canonicalHash == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(try parser.parse("[ 1 ]").canonicalHash == "080a9ed428559ef602668b4c00f114f1a11c3f6b02a435f0bdc154578e4d7f22")
    }

    @Test("syntax errors say what and where", arguments: [
        ("", 1, 1, "empty"),
        ("   \n  ", 2, 3, "empty"),
        ("{\"a\":1,}", 1, 8, "trailing comma"),
        ("[1,2,]", 1, 6, "trailing comma"),
        ("{\"a\":1,\"a\":2}", 1, 8, "duplicate key \"a\""),
        ("{\"a\" 1}", 1, 6, "expected ':'"),
        ("{a:1}", 1, 2, "member name in double quotes"),
        ("[01]", 1, 2, "leading zeros"),
        ("[1.]", 1, 2, "after '.'"),
        ("[tru]", 1, 2, "invalid literal"),
        ("{\"a\":\"x}", 1, 6, "unterminated string"),
        ("{\"a\":\"\t\"}", 1, 7, "control character"),
        ("{\"a\":\"\\x\"}", 1, 7, "invalid escape"),
        ("{\"a\":\"\\ud800\"}", 1, 7, "lone high surrogate"),
        ("{} x", 1, 4, "after the end"),
        ("{\"é\":1 2}", 1, 8, "expected ',' or '}'"),
        ("// c\n{}", 1, 1, "expected a value"),
    ])
    func syntaxErrors(_ text: String, _ line: Int, _ column: Int, _ fragment: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test("invalid UTF-8 is rejected at the offending byte")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("{\n  \"a\": \"ok".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        let error = try #require(throws: JSONSyntaxError.self) { try parser.parse(bytes) }
        #expect(error.line == 2)
        #expect(error.column == 11)
        #expect(error.message.contains("UTF-8"))
        // Overlong encoding of '/' and an encoded surrogate are invalid too.
        #expect(throws: JSONSyntaxError.self) { try parser.parse([0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try parser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test("a byte order mark is refused with advice")
    func byteOrderMark() throws {
        let error = try #require(throws: JSONSyntaxError.self) { try parser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
        #expect(error.message.contains("byte order mark"))
    }

    @Test("100,000-deep nesting is an error, not a crash")
    func deepNesting() throws {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(syntaxError(text))
        #expect(error.message.contains("nesting deeper than \(JSONParser.defaultMaximumDepth)"))
        #expect(error.line == 1)
        #expect(error.column == JSONParser.defaultMaximumDepth + 1)
        // Exactly at the limit still parses.
        let atLimit = String(repeating: "[", count: JSONParser.defaultMaximumDepth) + String(repeating: "]", count: JSONParser.defaultMaximumDepth)
        #expect(throws: Never.self) { try parser.parse(atLimit) }
    }

    @Test("JSON pointers escape '~' and '/' and resolve into arrays")
    func pointers() throws {
        let value = try parser.parse(#"{"a/b":{"m~n":[10,20]}}"#)
        let pointer = JSONPointer(tokens: ["a/b", "m~n", "1"])
        #expect(pointer.description == "/a~1b/m~0n/1")
        #expect(JSONPointer(pointer.description) == pointer)
        #expect(value[pointer] == .number("20"))
        #expect(value[JSONPointer("/a~1b/m~0n/2")] == nil)
        // "~01" is "~1" (not "/"): "~0" is decoded after "~1"; a lone or unknown escape is kept.
        #expect(JSONPointer("/~01/x~/~2/é~1").tokens == ["~1", "x~", "~2", "é/"])
        #expect(JSONPointer(tokens: ["~1", "é/"]).description == "/~01/é~1")
        // Empty tokens are tokens (the key ""); text without a leading "/" is the root.
        #expect(JSONPointer("/").tokens == [""])
        #expect(JSONPointer("//a/").tokens == ["", "a", ""])
        #expect(JSONPointer("").tokens.isEmpty && JSONPointer("a/b").tokens.isEmpty)
        #expect(JSONPointer("/sourceSpec/attributes/urlParams").tokens == ["sourceSpec", "attributes", "urlParams"])
        #expect(JSONPointer("/a").appending("b").appending(2) == JSONPointer("/a/b/2"))
        #expect(JSONPointer("/ü/日本/~1~0").tokens == ["ü", "日本", "/~"])
    }

    @Test("a walk over the scalars gives each in document order with its pointer, below a leading one")
    func scalars() throws {
        let value = try parser.parse(#"{"a":[1,"x",{"b":null},[],{}],"c~/":true}"#)
        var seen: [(JSONValue, String)] = []
        value.forEachScalar(from: JSONPointer("/root")) { scalar, pointer in seen.append((scalar, pointer().description)) }
        #expect(seen.map(\.0) == [.number("1"), .string("x"), .null, .bool(true)])
        #expect(seen.map(\.1) == ["/root/a/0", "/root/a/1", "/root/a/2/b", "/root/c~0~1"])
        var atRoot: [String] = []
        JSONValue.string("alone").forEachScalar { _, pointer in atRoot.append(pointer().description) }
        #expect(atRoot == [""])
    }

    @Test("differences list added, removed and changed fields by pointer")
    func differences() throws {
        let old = try parser.parse(#"{"a":1,"b":{"c":"x","d":[1,2]},"e":true}"#)
        let new = try parser.parse(#"{"a":1,"b":{"c":"y","d":[1]},"f":null}"#)
        let differences = JSONDifference.between(old, new)
        #expect(differences == [
            JSONDifference(pointer: JSONPointer("/b/c"), change: .changed(from: .string("x"), to: .string("y"))),
            JSONDifference(pointer: JSONPointer("/b/d/1"), change: .removed(.number("2"))),
            JSONDifference(pointer: JSONPointer("/e"), change: .removed(.bool(true))),
            JSONDifference(pointer: JSONPointer("/f"), change: .added(.null)),
        ])
        #expect(JSONDifference.between(old, old).isEmpty)
    }
}
