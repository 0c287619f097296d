import SpecSyncCore
import SpecSyncJSON

/// The schema of the records seen so far, grown one record at a time: the JSON types of every
/// member, the members of nested objects, the items of arrays, and which members every record has.
/// Written out as a JSON Schema (draft-07) fragment.
public struct RecordSchema: Sendable, Hashable {
    private var types: Set<String> = []
    private var properties: [String: RecordSchema] = [:]
    private var order: [String] = []
    /// How many objects were seen here, and in how many each member was present.
    private var objects = 0
    private var presence: [String: Int] = [:]
    private var items: [RecordSchema] = []
    private var allDateTimes = true
    private var strings = 0

    public init() {}

    public mutating func add(_ value: JSONValue) {
        switch value {
        case .null: types.insert("null")
        case .bool: types.insert("boolean")
        case .number(let literal):
            types.insert(literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? "number" : "integer")
        case .string(let text):
            types.insert("string")
            strings += 1
            if allDateTimes, UTCInstant(rfc3339: text) == nil { allDateTimes = false }
        case .array(let array):
            types.insert("array")
            if items.isEmpty { items = [RecordSchema()] }
            for element in array { items[0].add(element) }
        case .object(let object):
            types.insert("object")
            objects += 1
            for (key, member) in object.members {
                if properties[key] == nil { order.append(key); properties[key] = RecordSchema() }
                properties[key]!.add(member)
                presence[key, default: 0] += 1
            }
        }
    }

    public var json: JSONValue {
        var object = JSONObject()
        var written = types.sorted()
        // An integer member that is sometimes fractional is a number.
        if written.contains("number") { written.removeAll { $0 == "integer" } }
        if written.count == 1 { object["type"] = .string(written[0]) } else if !written.isEmpty { object["type"] = .array(written.map(JSONValue.string)) }
        if types == ["string"], strings > 0, allDateTimes { object["format"] = .string("date-time") }
        if types.contains("object") {
            var members = JSONObject()
            for key in order { members[key] = properties[key]!.json }
            object["properties"] = .object(members)
            let required = order.filter { presence[$0] == objects }
            if !required.isEmpty { object["required"] = .array(required.map(JSONValue.string)) }
        }
        if types.contains("array"), let first = items.first { object["items"] = first.json }
        return .object(object)
    }
}
