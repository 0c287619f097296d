import Testing
@testable import SpecSyncCore
@testable import SpecSyncJSON
@testable import SpecSyncConfiguration

@Suite("YAML composer (libyaml)")
struct YAMLComposerTests {
    func compose(_ text: String) throws(YAMLComposer.SyntaxError) -> YAMLNode? {
        try YAMLComposer().compose(text)
    }

    func error(_ text: String) -> YAMLComposer.SyntaxError? {
        do {
            _ = try compose(text)
            return nil
        } catch {
            return error
        }
    }

    /// The tree as a compact string, to compare shapes in one expectation.
    func shape(_ node: YAMLNode?) -> String {
        switch node {
        case nil: "nil"
        case .scalar(let text, _)?: "'\(text)'"
        case .sequence(let elements, _)?: "[" + elements.map { shape($0) }.joined(separator: ", ") + "]"
        case .mapping(let pairs, _)?: "{" + pairs.map { shape($0.key) + ": " + shape($0.value) }.joined(separator: ", ") + "}"
        }
    }

    @Test("block and flow collections, every scalar style as its text, and the marks of each node")
    func shapesAndMarks() throws {
        let text = """
            # a comment
            repository: {path: repo, ref: "main"}
            list:
              - 1
              - 'two'
              - |
                three
            empty:
            """
        let root = try #require(try compose(text))
        #expect(shape(root) == "{'repository': {'path': 'repo', 'ref': 'main'}, 'list': ['1', 'two', 'three\n'], 'empty': ''}")
        guard case .mapping(let pairs, let mark) = root else { Issue.record("not a mapping"); return }
        #expect(mark == YAMLMark(line: 2, column: 1))
        #expect(pairs[0].value.mark == YAMLMark(line: 2, column: 13))
        #expect(pairs[1].key.mark == YAMLMark(line: 3, column: 1))
        #expect(pairs[2].key.mark == YAMLMark(line: 8, column: 1))
    }

    @Test("an empty text or one of comments has no document")
    func noDocument() throws {
        #expect(try compose("") == nil)
        #expect(try compose("# nothing here\n\n") == nil)
    }

    @Test("an alias stands for the node of its anchor; an unknown alias is an error with its place")
    func aliases() throws {
        let root = try compose("base: &shared {port: 8080}\ncopy: *shared\n")
        #expect(shape(root) == "{'base': {'port': '8080'}, 'copy': {'port': '8080'}}")
        let unknown = try #require(error("copy: *missing\n"))
        #expect(unknown.mark == YAMLMark(line: 1, column: 7))
        #expect(unknown.message.contains("*missing"), "\(unknown.message)")
    }

    @Test("a key given twice is an error at the second, quoted or not, naming the first")
    func duplicateKeys() throws {
        let duplicate = try #require(error("targets:\n  true: {}\n  'true': {}\n"))
        #expect(duplicate.mark == YAMLMark(line: 3, column: 3))
        #expect(duplicate.message == "the key 'true' is given twice in one mapping (first at 2:3)")
        // The same key in two different mappings is fine.
        #expect(try compose("a: {x: 1}\nb: {x: 2}\n") != nil)
    }

    @Test("a syntax error carries libyaml's words and the line and column of the problem")
    func syntaxErrors() throws {
        let unclosed = try #require(error("repository: {path: x\n"))
        #expect(unclosed.mark?.line == 2, "\(unclosed)")
        #expect(unclosed.message.contains("flow mapping"), "\(unclosed.message)")
        let badIndent = try #require(error("a: b\n c: d\n"))
        #expect(badIndent.mark == YAMLMark(line: 2, column: 3), "\(badIndent)")
        #expect(badIndent.message.contains("mapping values are not allowed"), "\(badIndent.message)")
    }

    @Test("a second document is refused; nesting is bounded")
    func documentsAndDepth() throws {
        let second = try #require(error("a: 1\n---\nb: 2\n"))
        #expect(second.mark?.line == 2)
        #expect(second.message.contains("second YAML document"))
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(try #require(error(deep)).message.contains("nested more than 256 levels"))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try compose(fine) != nil)
    }
}
