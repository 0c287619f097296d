#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

/// The rules a connection spec must meet before Flow Service accepts it as a full replacement.
/// Each finding names the JSON pointer it is about and says what to do.
public struct SpecValidator: Sendable {
    public static let requiredFields: [(name: String, kind: ExpectedKind)] = [
        ("name", .string), ("providerId", .string), ("version", .string), ("type", .string),
        ("authSpec", .array), ("sourceSpec", .object), ("exploreSpec", .object),
    ]
    public static let knownAuthTypes: Set<String> = ["OAuth2RefreshCode", "BasicAuthentication"]
    public static let httpMethods: Set<String> = ["GET", "POST"]

    /// Fields each pagination type needs; alternatives separated by "|" (the documented examples
    /// spell `offSetName`, the schema `offsetName`: both are accepted).
    public static let paginationRequirements: [String: [String]] = [
        "OFFSET": ["limitName", "limitValue", "offSetName|offsetName"],
        "POINTER": ["limitName", "limitValue", "pointerPath"],
        "CONTINUATION_TOKEN": ["continuationTokenPath", "parameterName"],
        "PAGE": ["limitName", "limitValue", "pageParamName"],
        "NONE": [],
    ]

    /// Category keys of Self-Serve Sources (seed 002).
    public static let knownCategories: Set<String> = [
        "advertising", "analytics", "consentAndPreferences", "crm", "customerSuccess", "database",
        "ecommerce", "marketingAutomation", "payments", "protocols",
    ]

    public enum ExpectedKind: String, Sendable {
        case string, array, object

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.array, .array), (.object, .object): true
            default: false
            }
        }

        var article: String {
            switch self {
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    static let attributes = JSONPointer("/sourceSpec/attributes")

    public init() {}

    /// Findings about one bundle's body; `file` is the spec's repository path.
    public func validate(body: JSONValue, file: String) -> [Diagnostic] {
        var findings = Findings(file: file)
        // A Streaming SDK spec is pushed to, not pulled: no auth to the source, no URL.
        let streaming = StreamingSpec.isStreaming(body)
        checkRequiredFields(body, streaming: streaming, &findings)
        checkAuthSpec(body, &findings)
        if !streaming { checkURLParams(body, &findings) }
        checkPagination(body, &findings)
        checkSchedule(body, &findings)
        checkVariableReferences(body, &findings)
        checkCategory(body, &findings)
        return findings.diagnostics
    }

    func checkRequiredFields(_ body: JSONValue, streaming: Bool, _ findings: inout Findings) {
        for (name, kind) in Self.requiredFields {
            findings.require(name, kind, in: body, allowEmpty: streaming && name == "authSpec", required: true)
        }
    }

    func checkAuthSpec(_ body: JSONValue, _ findings: inout Findings) {
        guard case .array(let entries)? = body[JSONPointer("/authSpec")] else { return }
        for (index, entry) in entries.enumerated() {
            let pointer = JSONPointer("/authSpec").appending(index)
            guard case .object(let object) = entry else {
                findings.error("wrong-type", pointer, "an authSpec entry must be an object, found \(entry.kindName)")
                continue
            }
            for (field, kind) in [("name", ExpectedKind.string), ("type", .string), ("spec", .object)] {
                guard let value = object[field] else {
                    findings.error("missing-field", pointer.appending(field),
                                   "authSpec entry \(index) has no '\(field)'", help: "add '\(field)' (\(kind.article))")
                    continue
                }
                if !kind.matches(value) {
                    findings.error("wrong-type", pointer.appending(field),
                                   "'\(field)' must be \(kind.article), found \(value.kindName)")
                }
            }
            if case .string(let type)? = object["type"], !Self.knownAuthTypes.contains(type) {
                findings.warning("unknown-auth-type", pointer.appending("type"),
                                 "auth type '\(type)' is not one specsync knows",
                                 help: "known types: \(Self.knownAuthTypes.sorted().joined(separator: ", "))")
            }
        }
    }

    func checkURLParams(_ body: JSONValue, _ findings: inout Findings) {
        guard body[JSONPointer("/sourceSpec")]?.objectValue != nil else { return }
        let pointer = Self.attributes.appending("urlParams")
        guard let urlParams = body[pointer] else {
            findings.error("missing-field", pointer, "'urlParams' is missing",
                           help: "add { \"path\": \"/…\", \"method\": \"GET\" } under sourceSpec.attributes")
            return
        }
        guard case .object(let object) = urlParams else {
            findings.error("wrong-type", pointer, "'urlParams' must be an object, found \(urlParams.kindName)")
            return
        }
        switch object["path"] {
        case .string(let path)? where !path.isEmpty: break
        case nil: findings.error("missing-field", pointer.appending("path"), "'urlParams.path' is missing",
                                 help: "set the resource path, e.g. \"/3.0/lists/${listId}/members\"")
        case let value?: findings.error("wrong-type", pointer.appending("path"),
                                        "'urlParams.path' must be a non-empty string, found \(value.kindName)")
        }
        switch object["method"] {
        case .string(let method)? where Self.httpMethods.contains(method): break
        case nil: findings.error("missing-field", pointer.appending("method"), "'urlParams.method' is missing",
                                 help: "set it to \"GET\" or \"POST\"")
        case let value?: findings.error("invalid-value", pointer.appending("method"),
                                        "'urlParams.method' is \(value.compactText); it must be \"GET\" or \"POST\"")
        }
    }

    func checkPagination(_ body: JSONValue, _ findings: inout Findings) {
        let pointer = Self.attributes.appending("paginationParams")
        guard let pagination = body[pointer] else { return }
        guard case .object(let object) = pagination else {
            findings.error("wrong-type", pointer, "'paginationParams' must be an object, found \(pagination.kindName)")
            return
        }
        let known = Self.paginationRequirements.keys.sorted().joined(separator: ", ")
        guard case .string(let type)? = object["type"] else {
            findings.error("missing-field", pointer.appending("type"), "'paginationParams.type' is missing",
                           help: "one of \(known)")
            return
        }
        guard let required = Self.paginationRequirements[type] else {
            findings.error("invalid-value", pointer.appending("type"),
                           "pagination type '\(type)' is unknown", help: "one of \(known)")
            return
        }
        for requirement in required {
            let alternatives = requirement.split(separator: "|").map(String.init)
            if !alternatives.contains(where: { object.contains($0) }) {
                findings.error("missing-field", pointer.appending(alternatives[0]),
                               "\(type) pagination needs '\(alternatives.joined(separator: "' or '"))'",
                               help: "add it to paginationParams")
            }
        }
    }

    func checkSchedule(_ body: JSONValue, _ findings: inout Findings) {
        let pointer = Self.attributes.appending("scheduleParams")
        guard let schedule = body[pointer] else { return }
        guard case .object(let object) = schedule else {
            findings.error("wrong-type", pointer, "'scheduleParams' must be an object, found \(schedule.kindName)")
            return
        }
        for field in ["scheduleStartParamName", "scheduleEndParamName"] {
            switch object[field] {
            case .string(let name)? where !name.isEmpty: break
            case nil: findings.error("missing-field", pointer.appending(field), "'\(field)' is missing",
                                     help: "name the query parameter that bounds the schedule window")
            case let value?: findings.error("wrong-type", pointer.appending(field),
                                            "'\(field)' must be a non-empty string, found \(value.kindName)")
            }
        }
        if let start = object["scheduleStartParamName"], start == object["scheduleEndParamName"] {
            findings.warning("schedule-same-names", pointer,
                             "scheduleStartParamName and scheduleEndParamName are the same",
                             help: "the window's start and end need different parameters")
        }
    }

    /// `${name}` in urlParams/headerParams must name a property an auth spec or the source spec defines.
    func checkVariableReferences(_ body: JSONValue, _ findings: inout Findings) {
        let defined = Self.definedProperties(body)
        for section in ["urlParams", "headerParams"] {
            let pointer = Self.attributes.appending(section)
            guard let value = body[pointer] else { continue }
            value.forEachScalar(from: pointer) { scalar, location in
                guard case .string(let text) = scalar else { return }
                for name in Self.variableReferences(in: text) where !defined.contains(name) {
                    findings.warning("undefined-variable", location(),
                                     "'${\(name)}' is not defined by any authSpec or sourceSpec property",
                                     help: "add a property '\(name)' to sourceSpec.spec.properties or fix the name")
                }
            }
        }
    }

    func checkCategory(_ body: JSONValue, _ findings: inout Findings) {
        let pointer = Self.attributes.appending("uiAttributes").appending("category").appending("key")
        guard case .string(let key)? = body[pointer], !Self.knownCategories.contains(key) else { return }
        let simplified = key.lowercased().filter { $0.isLetter }
        let suggestion = Self.knownCategories.first { $0.lowercased() == simplified }
        findings.warning("unknown-category", pointer, "category '\(key)' is not a known Self-Serve Sources category",
                         help: suggestion.map { "did you mean '\($0)'?" }
                             ?? "known: \(Self.knownCategories.sorted().joined(separator: ", "))")
    }

    /// The property names `${…}` may use: every auth spec's and the source spec's.
    static func definedProperties(_ body: JSONValue) -> Set<String> {
        var defined: Set<String> = []
        if case .array(let entries)? = body[JSONPointer("/authSpec")] {
            for entry in entries {
                if case .object(let properties)? = entry[JSONPointer("/spec/properties")] {
                    defined.formUnion(properties.keys)
                }
            }
        }
        if case .object(let properties)? = body[JSONPointer("/sourceSpec/spec/properties")] {
            defined.formUnion(properties.keys)
        }
        return defined
    }

    /// The names inside `${…}` in a string.
    static func variableReferences(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstByteRange(of: "${") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { break }
            names.append(String(rest[..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// Collects the diagnostics of one file.
struct Findings {
    let file: String
    var diagnostics: [Diagnostic] = []

    mutating func error(_ code: String, _ pointer: JSONPointer, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.error, code: code, file: file, pointer: pointer, message: message, help: help))
    }

    mutating func warning(_ code: String, _ pointer: JSONPointer, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code: code, file: file, pointer: pointer, message: message, help: help))
    }

    /// The member `name` of the object at `parent`: present (when required), of `kind`, and not empty.
    mutating func require(
        _ name: String, _ kind: SpecValidator.ExpectedKind, in document: JSONValue, at parent: JSONPointer = .root,
        allowEmpty: Bool, required: Bool
    ) {
        let pointer = parent.appending(name)
        guard let value = document[JSONPointer(tokens: [name])] else {
            if required {
                error("missing-field", pointer, "required field '\(name)' is missing",
                      help: "a PUT replaces the whole \(parent == .root ? "document" : "entry"): add '\(name)' (\(kind.article))")
            }
            return
        }
        guard kind.matches(value) else {
            error("wrong-type", pointer, "'\(name)' must be \(kind.article), found \(value.kindName)")
            return
        }
        guard !allowEmpty else { return }
        if case .string(let text) = value, text.allSatisfy({ $0.isWhitespace && !$0.isNewline }) {
            error("empty-field", pointer, "'\(name)' is empty", help: "give it a value")
        }
        if case .array(let array) = value, array.isEmpty {
            error("empty-field", pointer, "'\(name)' is an empty array", help: "add at least one entry")
        }
    }
}
