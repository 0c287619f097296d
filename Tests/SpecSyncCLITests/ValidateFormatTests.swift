import Foundation
import SpecSyncTestSupport
import Testing

/// `validate --format github` and `--format sarif`: the same findings and exit codes as text, in the
/// shapes GitHub's annotations and code scanning read.
@Suite("specsync validate --format github|sarif")
struct ValidateFormatTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SpecSyncCoreTests/Fixtures")

    /// A clean bundle, one with a syntax error (line and column), one whose error and warning are
    /// about values (a JSON pointer, no line) and carry `%`, `,` and `:` from the files.
    static func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try SampleBundle.write("good", in: directory)
        try SampleBundle.write("broken", in: directory)
        try directory.write(try Data(contentsOf: fixtures.appendingPathComponent("seed000-broken.json")),
                            to: "Sources/broken/Artifacts/broken-connectionSpec.json")
        try SampleBundle.write("odd", in: directory)
        try directory.write(oddSpec, to: "Sources/odd/Artifacts/odd-connectionSpec.json")
        try directory.write("marketing, automation: 100%\n", to: "Sources/odd/Artifacts/odd-category.txt")
        return directory
    }

    static let oddSpec = SampleBundle.spec(name: "odd source")
        .replacingOccurrences(of: #""method": "GET""#, with: #""method": "FE%T,C:H""#)

    /// 1-based line and column of the first `text` in `oddSpec` (ASCII, so characters are scalars).
    static func position(of text: String) throws -> (line: Int, column: Int) {
        let lines = oddSpec.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains(text) })
        let range = try #require(lines[index].range(of: text))
        return (index + 1, lines[index].distance(from: lines[index].startIndex, to: range.lowerBound) + 1)
    }

    @Test("github: one workflow command per finding, escaped as GitHub documents; exit code and findings as text")
    func github() throws {
        let directory = try Self.repository()
        defer { directory.remove() }
        let text = try SpecSyncBinary.run(["validate"], in: directory.url)
        let result = try SpecSyncBinary.run(["validate", "--format", "github"], in: directory.url)
        #expect(text.status == 1)
        #expect(result.status == text.status, "\(result.stderr)")

        let commands = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init)
        let textFindings = text.stdout.split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        #expect(commands.count == textFindings.count)
        #expect(commands.count == 3, "\(result.stdout)")

        let syntaxText = try #require(textFindings.first { $0.contains("broken-connectionSpec.json:11:1") })
        let syntaxMessage = try #require(syntaxText.components(separatedBy: ": error: ").last)
        #expect(commands.contains {
            $0.hasPrefix("::error file=Sources/broken/Artifacts/broken-connectionSpec.json,line=11,col=1,title=specsync json-syntax::"
                + syntaxMessage)
        }, "\(commands)")
        let method = try #require(commands.first { $0.contains("invalid-value") })
        // The value's line and column, found from its pointer in the file; the pointer stays in the message.
        let value = try Self.position(of: #""FE%T"#)
        #expect(method.hasPrefix("::error file=Sources/odd/Artifacts/odd-connectionSpec.json,line=\(value.line),col=\(value.column),"
            + "title=specsync invalid-value::at /sourceSpec/attributes/urlParams/method: "), "\(method)")
        #expect(method.contains(#""FE%25T,C:H""#), "data escapes % only (and CR, LF): \(method)")
        let category = try #require(commands.first { $0.hasPrefix("::warning ") })
        #expect(category.contains("marketing, automation: 100%25"), "\(category)")
        // The category comes from its sidecar: the spec's line is where it would go, uiAttributes.
        let attributes = try Self.position(of: #"{"isSource""#)
        #expect(category.contains(",line=\(attributes.line),col=\(attributes.column),"), "\(category)")
        #expect(category.contains("%0Ahelp: "), "the help goes on an escaped new line: \(category)")
        // No message spills onto a line of its own: every line is a command, or the summary.
        #expect(result.stdout.split(separator: "\n").count == commands.count + 1)
        #expect(result.stdout.split(separator: "\n").last?.contains("3 bundles checked") == true)

        let clean = try TemporaryDirectory()
        defer { clean.remove() }
        try SampleBundle.write("alpha", in: clean)
        let quiet = try SpecSyncBinary.run(["validate", "--format", "github"], in: clean.url)
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("::"))
    }

    @Test("github: a property value has ':' and ',' escaped too, so a folder name cannot add properties")
    func githubPropertyEscaping() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SampleBundle.write("a,line=1:b", in: directory)
        try directory.write("{ broken", to: "Sources/a,line=1:b/Artifacts/a,line=1:b-connectionSpec.json")
        let result = try SpecSyncBinary.run(["validate", "--format", "github"], in: directory.url)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("::error file=Sources/a%2Cline=1%3Ab/Artifacts/a%2Cline=1%3Ab-connectionSpec.json,line=1,col=3,"),
                "\(result.stdout)")
    }

    @Test("sarif: a SARIF 2.1.0 log valid against the OASIS schema, with rules, regions and JSON pointers")
    func sarif() throws {
        let directory = try Self.repository()
        defer { directory.remove() }
        let result = try SpecSyncBinary.run(["validate", "--format", "sarif"], in: directory.url)
        #expect(result.status == 1, "\(result.stderr)")

        let checker = try JSONSchemaChecker(schema: try Data(contentsOf: Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json")))
        let violations = try checker.violations(of: Data(result.stdout.utf8))
        #expect(violations.isEmpty, "\(violations)")

        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        #expect(ruleIDs == ["invalid-value", "json-syntax", "unknown-category"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ruleIDs[index] == result["ruleId"] as? String)
        }
        let syntax = try #require(results.first { $0["ruleId"] as? String == "json-syntax" })
        #expect(syntax["level"] as? String == "error")
        let physical = ((syntax["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "Sources/broken/Artifacts/broken-connectionSpec.json")
        #expect((physical?["region"] as? [String: Any])?["startLine"] as? Int == 11)
        #expect((physical?["region"] as? [String: Any])?["startColumn"] as? Int == 1)

        let method = try #require(results.first { $0["ruleId"] as? String == "invalid-value" })
        let location = try #require((method["locations"] as? [[String: Any]])?.first)
        let region = (location["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        let value = try Self.position(of: #""FE%T"#)
        #expect(region?["startLine"] as? Int == value.line, "code scanning places an alert by line: the pointer's line")
        #expect(region?["startColumn"] as? Int == value.column)
        #expect((location["logicalLocations"] as? [[String: Any]])?.first?["fullyQualifiedName"] as? String
                == "Sources/odd/Artifacts/odd-connectionSpec.json#/sourceSpec/attributes/urlParams/method")
        #expect(results.first { $0["ruleId"] as? String == "unknown-category" }?["level"] as? String == "warning")
    }

    @Test("sarif: a clean repository is a valid log with no results and exits 0")
    func sarifClean() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SampleBundle.write("alpha", in: directory)
        let result = try SpecSyncBinary.run(["validate", "--format", "sarif"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let checker = try JSONSchemaChecker(schema: try Data(contentsOf: Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json")))
        #expect(try checker.violations(of: Data(result.stdout.utf8)).isEmpty)
        #expect(result.stdout.contains(#""results" : []"#) || result.stdout.contains(#""results": []"#), "\(result.stdout)")
    }

    @Test("the schema checker is not a rubber stamp: it refuses what the SARIF schema forbids")
    func checkerRefuses() throws {
        let checker = try JSONSchemaChecker(schema: try Data(contentsOf: Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json")))
        let valid = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a/b.json"},"region":{"startLine":1}}}]}]}]}"#
        #expect(try checker.violations(of: Data(valid.utf8)).isEmpty)
        for (broken, why) in [
            (valid.replacingOccurrences(of: "2.1.0", with: "2.0.0"), "enum"),
            (valid.replacingOccurrences(of: #""startLine":1"#, with: #""startLine":0"#), "minimum"),
            (valid.replacingOccurrences(of: #""startLine":1"#, with: #""startColumn":1"#), "region needs a start"),
            (valid.replacingOccurrences(of: #""name":"x""#, with: #""name":"x","colour":"red""#), "additionalProperties"),
            (valid.replacingOccurrences(of: #""uri":"a/b.json""#, with: #""uri":"a b.json""#), "uri-reference"),
            (valid.replacingOccurrences(of: #""message":{"text":"m"}"#, with: #""message":{}"#), "message needs text or id"),
            (valid.replacingOccurrences(of: #"{"text":"m"}"#, with: #"{"text":1}"#), "type"),
        ] {
            #expect(try !checker.violations(of: Data(broken.utf8)).isEmpty, "\(why)")
        }
    }
}
