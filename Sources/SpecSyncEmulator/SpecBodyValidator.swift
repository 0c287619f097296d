import SpecSyncCore
import SpecSyncJSON

/// Checks a POST or PUT body the way Flow Service does before storing it: a JSON object, with every
/// field a create needs (a PUT replaces, so it needs them too), and none of the server's fields.
struct SpecBodyValidator: Sendable {
    enum Kind: Sendable {
        case string, array, object

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.array, .array), (.object, .object): true
            default: false
            }
        }

        var name: String {
            switch self {
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// The fields a body must have, with their JSON kinds, in the order they are reported.
    let required: [(name: String, kind: Kind)]
    /// Fields that may be absent but must have this kind when present.
    var optional: [(name: String, kind: Kind)] = []

    static let connectionSpec = SpecBodyValidator(required: [
        ("name", .string), ("providerId", .string), ("version", .string), ("type", .string),
        ("authSpec", .array), ("sourceSpec", .object), ("exploreSpec", .object),
    ])

    /// The documented `UpdateFlowSpecRequest` requires name and providerId only.
    static let flowSpec = SpecBodyValidator(
        required: [("name", .string), ("providerId", .string)],
        optional: [("sourceConnectionSpecIds", .array), ("targetConnectionSpecIds", .array)])

    func validate(_ bytes: [UInt8]) throws(EmulatorError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw .badRequest(
                "Malformed JSON body at line \(error.line), column \(error.column): \(error.message).",
                code: "FLOW-1100-400")
        }
        guard case .object(let object) = value else {
            throw .badRequest("The request body must be a JSON object, found \(value.kindName).")
        }

        var problems: [String] = []
        let missing = required.filter { !object.contains($0.name) }.map(\.name)
        if !missing.isEmpty {
            problems.append("Missing required fields: \(missing.joined(separator: ", ")).")
        }
        for field in required + optional {
            if let present = object[field.name], !field.kind.matches(present) {
                problems.append("Field \(field.name) must be \(field.kind.name), found \(present.kindName).")
            }
        }
        for field in optional where field.kind == .array {
            if let items = object[field.name]?.arrayValue, items.contains(where: { $0.stringValue == nil }) {
                problems.append("Field \(field.name) must hold only strings (spec ids).")
            }
        }
        let owned = object.keys.filter { ServerFields.owned.contains($0) }
        if !owned.isEmpty {
            problems.append(
                "Fields owned by the server must not be sent: \(owned.joined(separator: ", ")); remove them from the body.")
        }
        guard problems.isEmpty else {
            throw .badRequest(problems.joined(separator: " "))
        }
        return object
    }
}
