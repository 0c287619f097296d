/// A JSON document as written: object member order and number spellings are kept, so that what the
/// file says is what the API receives ("100" stays a string, 1.0 stays 1.0).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The literal exactly as written in the source, already checked against the JSON number grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// A short name for the kind of value, for messages ("expected an object, found a string").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// A value as a message quotes it: a string's own text, any other value as compact JSON.
    public var displayText: String {
        switch self {
        case .string(let string): string
        case .number(let literal): literal
        default: String(decoding: canonicalBytes, as: UTF8.self)
        }
    }

    /// The value at `pointer`, or nil when any step is missing.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}

/// A JSON object that keeps its members in the order they were written.
///
/// Members live in one array: most objects in a spec have a handful of members, for which a scan
/// beats hashing and a dictionary per object tripled the memory of a parsed spec. Past
/// `indexThreshold` members an index by key keeps lookups constant-time, so a hostile object with
/// 100,000 members costs no more than it did.
public struct JSONObject: Sendable, Hashable {
    fileprivate struct Member: Sendable {
        let key: String
        var value: JSONValue
    }

    static let indexThreshold = 16

    private var entries: [Member] = []
    private var index: [String: Int]?

    public init() {}

    public init(_ members: KeyValuePairs<String, JSONValue>) {
        for (key, value) in members { self[key] = value }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Keys in written order.
    public var keys: [String] { entries.map(\.key) }

    /// Members in written order, read in place: a walk over a document asks every object for
    /// them, and an array of them per object was a visible part of evaluating a bundle.
    public var members: Members { Members(entries: entries) }

    /// The members of an object in written order, without a copy of them.
    public struct Members: RandomAccessCollection, Sendable {
        fileprivate let entries: [Member]
        public var startIndex: Int { entries.startIndex }
        public var endIndex: Int { entries.endIndex }
        public subscript(position: Int) -> (key: String, value: JSONValue) { (entries[position].key, entries[position].value) }
    }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// Setting a new key appends it; setting an existing key keeps its place; nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            let existing = position(of: key)
            switch (existing, newValue) {
            case (let position?, let newValue?):
                entries[position].value = newValue
            case (nil, let newValue?):
                entries.append(Member(key: key, value: newValue))
                if index != nil {
                    index?[key] = entries.count - 1
                } else if entries.count > Self.indexThreshold {
                    buildIndex()
                }
            case (let position?, nil):
                entries.remove(at: position)
                if index != nil { buildIndex() }
            case (nil, nil):
                break
            }
        }
    }

    private mutating func buildIndex() {
        var built: [String: Int] = [:]
        built.reserveCapacity(entries.count)
        for (position, member) in entries.enumerated() { built[member.key] = position }
        index = built
    }

    /// Objects are equal when they have the same members, in any order (RFC 8259: order carries
    /// no meaning).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, like ==: combine the members' hashes commutatively.
        var combined = 0
        for member in entries {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(combined)
    }
}
