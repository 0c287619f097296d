import SpecSyncJSON
/// The Sources SDK's rules beyond the shape of the body: every `spec` object is a JSON Schema
/// draft-07, `${var}` in the request parts names a defined property, and the JSONPath
/// expressions the runtime evaluates parse. Each finding names its JSON pointer.
public struct SourcesSDKValidator: Sendable {
    let schemas = JSONSchemaChecker()
    let paths = JSONPathSyntax()

    static let attributes = JSONPointer("/sourceSpec/attributes")
    /// Pagination fields that hold a JSONPath into the response.
    static let paginationPaths = ["pointerPath", "continuationTokenPath"]
    /// Request parts where the runtime substitutes `${var}`, beyond urlParams and headerParams
    /// (which `SpecValidator` checks).
    static let substitutedSections = ["bodyParams", "paginationParams", "scheduleParams"]

    public init() {}

    public func validate(body: JSONValue, file: String) -> [Diagnostic] {
        var findings = Findings(file: file)
        checkSchemas(body, &findings)
        checkJSONPaths(body, &findings)
        checkVariables(body, &findings)
        return findings.diagnostics
    }

    /// The schemas a spec declares: each auth type's, the source's, and explore's request and response.
    func schemaLocations(_ body: JSONValue) -> [JSONPointer] {
        var pointers: [JSONPointer] = []
        if case .array(let entries)? = body[JSONPointer("/authSpec")] {
            for index in entries.indices { pointers.append(JSONPointer("/authSpec").appending(index).appending("spec")) }
        }
        pointers += ["/sourceSpec/spec", "/exploreSpec/spec", "/exploreSpec/requestSpec", "/exploreSpec/responseSpec"].map(JSONPointer.init)
        return pointers.filter { body[$0] != nil }
    }

    func checkSchemas(_ body: JSONValue, _ findings: inout Findings) {
        for pointer in schemaLocations(body) {
            // `authSpec[].spec` of the wrong kind is SpecValidator's finding already.
            if pointer.tokens.first == "authSpec", body[pointer]?.objectValue == nil { continue }
            schemas.check(body[pointer]!, at: pointer, &findings)
        }
    }

    func checkJSONPaths(_ body: JSONValue, _ findings: inout Findings) {
        for name in ["contentPath", "explodeEntityPath"] {
            let pointer = Self.attributes.appending(name)
            switch body[pointer] {
            case .string(let path)?: checkPath(path, at: pointer, name: name, &findings)
            case .object(let object)?:
                switch object["path"] {
                case .string(let path)?: checkPath(path, at: pointer.appending("path"), name: name, &findings)
                case nil: findings.error("missing-field", pointer.appending("path"), "'\(name)' has no 'path'",
                                         help: "set 'path' to the JSONPath of the records, e.g. \"$.members\"")
                case let value?: findings.error("wrong-type", pointer.appending("path"), "'\(name).path' must be a string, found \(value.kindName)")
                }
                for list in ["skipAttributes", "keepAttributes"] {
                    guard let value = object[list] else { continue }
                    if case .array(let names) = value, names.allSatisfy({ $0.stringValue != nil }) { continue }
                    findings.error("wrong-type", pointer.appending(list), "'\(name).\(list)' must be an array of attribute names, found \(value.compactText)")
                }
            case nil: continue
            case let value?: findings.error("wrong-type", pointer, "'\(name)' must be a JSONPath string or an object with 'path', found \(value.kindName)")
            }
        }
        let pagination = Self.attributes.appending("paginationParams")
        for name in Self.paginationPaths {
            if case .string(let path)? = body[pagination.appending(name)] {
                checkPath(path, at: pagination.appending(name), name: name, &findings)
            }
        }
        // An end condition is a JSONPath when it reads the response ("$.hasMore").
        if case .string(let path)? = body[pagination.appending("endConditionName")], path.hasPrefix("$") {
            checkPath(path, at: pagination.appending("endConditionName"), name: "endConditionName", &findings)
        }
    }

    func checkPath(_ path: String, at pointer: JSONPointer, name: String, _ findings: inout Findings) {
        guard let problem = paths.problem(in: path) else { return }
        findings.error("invalid-jsonpath", pointer, "'\(name)' \(path.debugDescription) is not a valid JSONPath: \(problem)",
                       help: "write a JSONPath from the response's root, e.g. \"$.members\" or \"$.data[*]\"")
    }

    func checkVariables(_ body: JSONValue, _ findings: inout Findings) {
        let defined = SpecValidator.definedProperties(body)
        for section in Self.substitutedSections {
            let pointer = Self.attributes.appending(section)
            guard let value = body[pointer] else { continue }
            value.forEachScalar(from: pointer) { scalar, location in
                guard case .string(let text) = scalar else { return }
                for name in SpecValidator.variableReferences(in: text) where !defined.contains(name) {
                    findings.warning("undefined-variable", location(),
                                     "'${\(name)}' is not defined by any authSpec or sourceSpec property",
                                     help: "add a property '\(name)' to sourceSpec.spec.properties or fix the name")
                }
            }
        }
    }
}
