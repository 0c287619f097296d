import SpecSyncCore

/// A connection spec as Flow Service returned it: the fields specsync records, and the rest.
public struct RemoteSpec: Sendable, Equatable {
    public let id: String
    public let name: String?
    /// Epoch milliseconds.
    public let createdAt: Int64?
    public let updatedAt: Int64?
    public let document: JSONValue

    public init(document: JSONValue) throws(RemoteSpecError) {
        guard case .object(let object) = document else { throw RemoteSpecError(reason: "expected an object, found \(document.kindName)") }
        guard case .string(let id)? = object["id"], !id.isEmpty else { throw RemoteSpecError(reason: "the spec has no id") }
        self.id = id
        self.name = object["name"]?.stringValue
        self.createdAt = Self.milliseconds(object["createdAt"])
        self.updatedAt = Self.milliseconds(object["updatedAt"])
        self.document = document
    }

    static func milliseconds(_ value: JSONValue?) -> Int64? {
        if case .number(let literal)? = value { return Int64(literal) ?? Double(literal).map { Int64($0) } }
        return nil
    }

    /// A response body that is either the bare spec or `{"items":[spec, …]}`.
    public static func list(from bytes: [UInt8]) throws(RemoteSpecError) -> [RemoteSpec] {
        let document: JSONValue
        do { document = try JSONParser().parse(bytes) } catch {
            throw RemoteSpecError(reason: "the body is not JSON (\(error))")
        }
        if case .array(let items)? = document[JSONPointer("/items")] {
            var specs: [RemoteSpec] = []
            for item in items { specs.append(try RemoteSpec(document: item)) }
            return specs
        }
        return [try RemoteSpec(document: document)]
    }
}

public struct RemoteSpecError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
