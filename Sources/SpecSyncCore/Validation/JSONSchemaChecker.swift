import SpecSyncJSON
/// The structural rules of JSON Schema draft-07 that a connection spec's `spec` objects must meet
/// for Flow Service's forms and checks to read them: known types, `required` names that
/// `properties` defines, and keywords of the right shape. Not a full meta-schema validation.
struct JSONSchemaChecker {
    static let types: Set<String> = ["string", "number", "integer", "boolean", "object", "array", "null"]
    /// Keywords whose value is one schema.
    static let schemaKeywords = ["not", "if", "then", "else", "contains", "propertyNames", "additionalItems"]
    /// Keywords whose value is a non-empty array of schemas.
    static let schemaListKeywords = ["allOf", "anyOf", "oneOf"]
    /// Keywords whose value is an object of schemas.
    static let schemaMapKeywords = ["properties", "patternProperties", "definitions"]
    static let countKeywords = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
    static let numberKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
    static let stringKeywords = ["$schema", "$id", "$ref", "title", "description", "format", "pattern", "$comment"]

    /// Findings about the schema at `pointer` and every schema inside it.
    func check(_ schema: JSONValue, at pointer: JSONPointer, _ findings: inout Findings) {
        switch schema {
        case .bool: return
        case .object(let object): checkObject(object, at: pointer, &findings)
        default:
            findings.error("invalid-schema", pointer, "a JSON Schema must be an object or a boolean, found \(schema.kindName)",
                           help: "write a draft-07 schema, e.g. { \"type\": \"object\", \"properties\": { … } }")
        }
    }

    private func checkObject(_ object: JSONObject, at pointer: JSONPointer, _ findings: inout Findings) {
        if let type = object["type"] { checkType(type, at: pointer.appending("type"), &findings) }
        for keyword in Self.stringKeywords {
            if let value = object[keyword], value.stringValue == nil {
                findings.error("invalid-schema", pointer.appending(keyword), "'\(keyword)' must be a string, found \(value.kindName)")
            }
        }
        for keyword in Self.countKeywords {
            guard let value = object[keyword] else { continue }
            if case .number(let literal) = value, let count = Int(literal), count >= 0 { continue }
            findings.error("invalid-schema", pointer.appending(keyword), "'\(keyword)' must be a non-negative integer, found \(value.compactText)")
        }
        for keyword in Self.numberKeywords {
            if let value = object[keyword], !isNumber(value) {
                findings.error("invalid-schema", pointer.appending(keyword), "'\(keyword)' must be a number, found \(value.kindName)")
            }
        }
        if let value = object["enum"] {
            if case .array(let values) = value, !values.isEmpty {} else {
                findings.error("invalid-schema", pointer.appending("enum"), "'enum' must be a non-empty array, found \(value.compactText)",
                               help: "list the allowed values")
            }
        }
        for keyword in Self.schemaKeywords {
            if let value = object[keyword] { check(value, at: pointer.appending(keyword), &findings) }
        }
        if let value = object["additionalProperties"] { check(value, at: pointer.appending("additionalProperties"), &findings) }
        for keyword in Self.schemaListKeywords {
            guard let value = object[keyword] else { continue }
            guard case .array(let schemas) = value, !schemas.isEmpty else {
                findings.error("invalid-schema", pointer.appending(keyword), "'\(keyword)' must be a non-empty array of schemas, found \(value.kindName)")
                continue
            }
            for (index, schema) in schemas.enumerated() { check(schema, at: pointer.appending(keyword).appending(index), &findings) }
        }
        for keyword in Self.schemaMapKeywords {
            guard let value = object[keyword] else { continue }
            guard case .object(let members) = value else {
                findings.error("invalid-schema", pointer.appending(keyword), "'\(keyword)' must be an object of schemas, found \(value.kindName)")
                continue
            }
            for (name, schema) in members.members { check(schema, at: pointer.appending(keyword).appending(name), &findings) }
        }
        switch object["items"] {
        case .array(let schemas)?:
            for (index, schema) in schemas.enumerated() { check(schema, at: pointer.appending("items").appending(index), &findings) }
        case let schema?: check(schema, at: pointer.appending("items"), &findings)
        case nil: break
        }
        if let required = object["required"] { checkRequired(required, properties: object["properties"]?.objectValue, at: pointer, &findings) }
    }

    private func checkType(_ type: JSONValue, at pointer: JSONPointer, _ findings: inout Findings) {
        let known = Self.types.sorted().joined(separator: ", ")
        switch type {
        case .string(let name) where Self.types.contains(name): return
        case .string(let name):
            let suggestion = Self.types.first { $0 == name.lowercased() } ?? (name.lowercased() == "int" ? "integer" : nil)
            findings.error("invalid-schema", pointer, "schema type '\(name)' is not a JSON Schema type",
                           help: suggestion.map { "did you mean '\($0)'?" } ?? "one of \(known)")
        case .array(let names) where !names.isEmpty:
            for (index, name) in names.enumerated() { checkType(name, at: pointer.appending(index), &findings) }
        default:
            findings.error("invalid-schema", pointer, "'type' must be a type name or a non-empty array of them, found \(type.compactText)",
                           help: "one of \(known)")
        }
    }

    private func checkRequired(_ required: JSONValue, properties: JSONObject?, at pointer: JSONPointer, _ findings: inout Findings) {
        let location = pointer.appending("required")
        guard case .array(let names) = required else {
            findings.error("invalid-schema", location, "'required' must be an array of property names, found \(required.kindName)")
            return
        }
        var seen: Set<String> = []
        for (index, entry) in names.enumerated() {
            guard case .string(let name) = entry else {
                findings.error("invalid-schema", location.appending(index), "a 'required' entry must be a property name, found \(entry.kindName)")
                continue
            }
            if !seen.insert(name).inserted {
                findings.warning("invalid-schema", location.appending(index), "'\(name)' is listed twice in 'required'", help: "list each name once")
            }
            if properties?.contains(name) != true {
                findings.error("required-not-defined", location.appending(index), "'\(name)' is required but 'properties' does not define it",
                               help: "add '\(name)' to \(pointer.appending("properties")) or remove it from 'required'")
            }
        }
    }

    private func isNumber(_ value: JSONValue) -> Bool {
        if case .number = value { return true }
        return false
    }
}
