import SpecSyncCore
import SpecSyncJSON

/// Diagnostics as a SARIF 2.1.0 log for code scanning: one rule per diagnostic code, one result per
/// diagnostic, located by line and column where there is one, and by the JSON pointer (a logical
/// location) of the value the finding is about where it has one.
struct SARIFRenderer {
    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// The base the repository-relative paths resolve against; code scanning maps it to the checkout.
    static let sourceRoot = "%SRCROOT%"

    let version: String

    func log(_ diagnostics: [Diagnostic]) -> JSONValue {
        let codes = Array(Set(diagnostics.map(\.code))).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })

        var driver = JSONObject()
        driver["name"] = .string("specsync")
        driver["version"] = .string(version)
        driver["rules"] = .array(codes.map { code in rule(code, example: diagnostics.first { $0.code == code }) })
        var tool = JSONObject()
        tool["driver"] = .object(driver)

        var run = JSONObject()
        run["tool"] = .object(tool)
        // TextPosition counts columns in Unicode scalars, not SARIF's default UTF-16 code units.
        run["columnKind"] = .string("unicodeCodePoints")
        run["results"] = .array(diagnostics.map { result($0, ruleIndex: ruleIndex[$0.code] ?? 0) })

        var log = JSONObject()
        log["$schema"] = .string(Self.schema)
        log["version"] = .string("2.1.0")
        log["runs"] = .array([.object(run)])
        return .object(log)
    }

    func rule(_ code: String, example: Diagnostic?) -> JSONValue {
        var rule = JSONObject()
        rule["id"] = .string(code)
        rule["name"] = .string(code)
        var short = JSONObject()
        short["text"] = .string("specsync rule \(code)")
        rule["shortDescription"] = .object(short)
        var configuration = JSONObject()
        configuration["level"] = .string(example?.severity == .warning ? "warning" : "error")
        rule["defaultConfiguration"] = .object(configuration)
        return .object(rule)
    }

    func result(_ diagnostic: Diagnostic, ruleIndex: Int) -> JSONValue {
        var result = JSONObject()
        result["ruleId"] = .string(diagnostic.code)
        result["ruleIndex"] = .number(String(ruleIndex))
        result["level"] = .string(diagnostic.severity == .error ? "error" : "warning")
        var message = JSONObject()
        message["text"] = .string(diagnostic.help.map { "\(diagnostic.message)\nhelp: \($0)" } ?? diagnostic.message)
        result["message"] = .object(message)

        var artifact = JSONObject()
        artifact["uri"] = .string(Self.uriReference(diagnostic.file))
        artifact["uriBaseId"] = .string(Self.sourceRoot)
        var physical = JSONObject()
        physical["artifactLocation"] = .object(artifact)
        if let line = diagnostic.line {
            var region = JSONObject()
            region["startLine"] = .number(String(line))
            if let column = diagnostic.column { region["startColumn"] = .number(String(column)) }
            physical["region"] = .object(region)
        }
        var location = JSONObject()
        location["physicalLocation"] = .object(physical)
        if let pointer = diagnostic.pointer, !pointer.tokens.isEmpty {
            var logical = JSONObject()
            logical["fullyQualifiedName"] = .string("\(diagnostic.file)#\(pointer)")
            logical["name"] = .string(pointer.description)
            logical["kind"] = .string("member")
            location["logicalLocations"] = .array([.object(logical)])
        }
        result["locations"] = .array([.object(location)])
        return .object(result)
    }

    /// A repository-relative path as a URI reference: every byte but the unreserved ones and `/`
    /// percent-encoded (a space, `#` or `%` in a folder name would otherwise change what it names).
    static func uriReference(_ path: String) -> String {
        PercentEncoding.encode(path, keeping: "-._~/")
    }
}
