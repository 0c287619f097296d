import Foundation

/// A test-only JSON Schema checker (drafts 04 and 07) for the keywords the vendored SARIF 2.1.0
/// schema uses. A keyword it does not know is an error, never skipped, so a schema that needs more
/// cannot pass silently. Chosen over installing python3-jsonschema from PyPI in every CI run: about
/// 200 lines, no network, and the documents are parsed by Foundation, not by the code under test.
public struct JSONSchemaChecker: Sendable {
    /// A JSON document as Foundation's decoder reads it: numbers, strings, booleans, kept apart.
    public indirect enum Node: Decodable, Equatable, Sendable {
        case null, bool(Bool), number(Double), string(String), array([Node]), object([String: Node])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Node].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Node].self)) }
        }

        public static func parse(_ data: Data) throws -> Node { try JSONDecoder().decode(Node.self, from: data) }
    }

    static let annotations: Set<String> = ["$schema", "id", "$id", "title", "description", "default", "definitions"]
    static let known: Set<String> = annotations.union([
        "$ref", "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "uniqueItems",
        "enum", "format", "minimum", "maximum", "pattern", "anyOf", "oneOf", "allOf",
    ])

    let root: Node

    public init(schema: Data) throws { root = try Node.parse(schema) }

    /// Every violation, each with the JSON pointer of the instance value and the keyword; empty when valid.
    public func violations(of instance: Data) throws -> [String] {
        var found: [String] = []
        check(try Node.parse(instance), against: root, at: "", into: &found)
        return found
    }

    func check(_ value: Node, against schema: Node, at pointer: String, into found: inout [String]) {
        guard case .object(let keywords) = schema else {
            found.append("\(pointer): schema is not an object"); return
        }
        for keyword in keywords.keys where !Self.known.contains(keyword) {
            found.append("\(pointer): the checker does not know the keyword '\(keyword)'")
        }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = resolve(reference) else { found.append("\(pointer): unresolved $ref \(reference)"); return }
            check(value, against: target, at: pointer, into: &found)
        }
        if let type = keywords["type"] {
            let allowed: [String]
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                found.append("\(pointer): expected \(allowed.joined(separator: " or ")), found \(Self.typeName(value))")
                return
            }
        }
        if case .array(let options)? = keywords["enum"], !options.contains(value) {
            found.append("\(pointer): \(value) is not one of the enum's values")
        }
        switch value {
        case .object(let members): checkObject(members, keywords, at: pointer, into: &found)
        case .array(let items): checkArray(items, keywords, at: pointer, into: &found)
        case .number(let number):
            if case .number(let minimum)? = keywords["minimum"], number < minimum { found.append("\(pointer): \(number) < minimum \(minimum)") }
            if case .number(let maximum)? = keywords["maximum"], number > maximum { found.append("\(pointer): \(number) > maximum \(maximum)") }
        case .string(let text):
            if case .string(let pattern)? = keywords["pattern"] {
                if text.range(of: pattern, options: .regularExpression) == nil { found.append("\(pointer): '\(text)' does not match /\(pattern)/") }
            }
            if case .string(let format)? = keywords["format"], let problem = Self.formatProblem(text, format: format) {
                found.append("\(pointer): '\(text)' is not a valid \(format): \(problem)")
            }
        default: break
        }
        if case .array(let schemas)? = keywords["allOf"] {
            for schema in schemas { check(value, against: schema, at: pointer, into: &found) }
        }
        if case .array(let schemas)? = keywords["anyOf"] {
            if !schemas.contains(where: { isValid(value, $0, at: pointer) }) { found.append("\(pointer): matches none of anyOf") }
        }
        if case .array(let schemas)? = keywords["oneOf"] {
            let count = schemas.filter { isValid(value, $0, at: pointer) }.count
            if count != 1 { found.append("\(pointer): matches \(count) of oneOf, not exactly one") }
        }
    }

    func checkObject(_ members: [String: Node], _ keywords: [String: Node], at pointer: String, into found: inout [String]) {
        if case .array(let required)? = keywords["required"] {
            for case .string(let name) in required where members[name] == nil { found.append("\(pointer): missing required '\(name)'") }
        }
        var properties: [String: Node] = [:]
        if case .object(let declared)? = keywords["properties"] { properties = declared }
        for (name, member) in members {
            let path = pointer + "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            if let schema = properties[name] {
                check(member, against: schema, at: path, into: &found)
            } else {
                switch keywords["additionalProperties"] {
                case .bool(false)?: found.append("\(pointer): property '\(name)' is not allowed")
                case .object(let schema)?: check(member, against: .object(schema), at: path, into: &found)
                default: break
                }
            }
        }
    }

    func checkArray(_ items: [Node], _ keywords: [String: Node], at pointer: String, into found: inout [String]) {
        if case .number(let minimum)? = keywords["minItems"], Double(items.count) < minimum { found.append("\(pointer): fewer than \(Int(minimum)) items") }
        if case .number(let maximum)? = keywords["maxItems"], Double(items.count) > maximum { found.append("\(pointer): more than \(Int(maximum)) items") }
        if case .bool(true)? = keywords["uniqueItems"] {
            for (index, item) in items.enumerated() where items[..<index].contains(item) { found.append("\(pointer)/\(index): duplicate item") }
        }
        if let schema = keywords["items"] {
            for (index, item) in items.enumerated() { check(item, against: schema, at: "\(pointer)/\(index)", into: &found) }
        }
    }

    func isValid(_ value: Node, _ schema: Node, at pointer: String) -> Bool {
        var found: [String] = []
        check(value, against: schema, at: pointer, into: &found)
        return found.isEmpty
    }

    /// `#/definitions/name` (the only form the schema uses).
    func resolve(_ reference: String) -> Node? {
        guard reference.hasPrefix("#/") else { return nil }
        var node = root
        for token in reference.dropFirst(2).split(separator: "/") {
            guard case .object(let members) = node, let next = members[String(token)] else { return nil }
            node = next
        }
        return node
    }

    static func matches(_ value: Node, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    static func typeName(_ value: Node) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// RFC 3986 URI (needs a scheme) or URI reference; RFC 3339 date-time. Other formats are annotations.
    static func formatProblem(_ text: String, format: String) -> String? {
        switch format {
        case "uri", "uri-reference":
            if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F || "\"<>\\^`{|}".unicodeScalars.contains($0) }) {
                return "characters that must be percent-encoded"
            }
            if text.range(of: "%(?![0-9A-Fa-f]{2})", options: .regularExpression) != nil { return "a bad percent escape" }
            if format == "uri", text.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) == nil { return "no scheme" }
            return nil
        case "date-time":
            let pattern = #"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#
            return text.range(of: pattern, options: .regularExpression) == nil ? "not RFC 3339" : nil
        default:
            return nil
        }
    }
}
