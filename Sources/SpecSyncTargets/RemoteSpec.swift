import SpecSyncCore
import SpecSyncJSON

/// A remote resource as its API returned it (a connection spec, a Flxpoint or Versori connection):
/// the fields specsync records, and the rest.
public struct RemoteSpec: Sendable, Equatable {
    public let id: String
    public let name: String?
    /// Epoch milliseconds, where the API has them.
    public let createdAt: Int64?
    public let updatedAt: Int64?
    /// What changes whenever the remote changes, as the target sees it: `updatedAt` where the API
    /// has one, a hash of the comparable content where it does not (Flxpoint). Conflict and drift
    /// detection compare it with the one recorded after specsync's own write.
    public let revision: String?
    public let document: JSONValue
    /// Which API client created the resource and which last wrote it (Flow Service's
    /// `createdClient`/`updatedClient`), and the org it belongs to (`imsOrgId`); nil where the API
    /// does not say. `SpecOwnership` reads them to tell a foreign spec.
    public let createdClient: String?
    public let updatedClient: String?
    public let orgID: String?

    public init(
        id: String, name: String?, createdAt: Int64? = nil, updatedAt: Int64? = nil, revision: String?, document: JSONValue,
        createdClient: String? = nil, updatedClient: String? = nil, orgID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
        self.document = document
        self.createdClient = createdClient
        self.updatedClient = updatedClient
        self.orgID = orgID
    }

    /// A Flow Service connection spec: its revision is `updatedAt`.
    public init(document: JSONValue) throws(RemoteSpecError) {
        guard case .object(let object) = document else { throw RemoteSpecError(reason: "expected an object, found \(document.kindName)") }
        guard case .string(let id)? = object["id"], !id.isEmpty else { throw RemoteSpecError(reason: "the spec has no id") }
        self.id = id
        self.name = object["name"]?.stringValue
        self.createdAt = Self.milliseconds(object["createdAt"])
        self.updatedAt = Self.milliseconds(object["updatedAt"])
        self.revision = updatedAt.map(String.init)
        self.document = document
        self.createdClient = object["createdClient"]?.stringValue
        self.updatedClient = object["updatedClient"]?.stringValue
        self.orgID = object["imsOrgId"]?.stringValue
    }

    /// Epoch milliseconds from a server's number; nil (as if absent) when it is no such thing:
    /// a remote's `1e308` or `1e999999` must not trap in a conversion.
    static func milliseconds(_ value: JSONValue?) -> Int64? {
        guard case .number(let literal)? = value else { return nil }
        if let exact = Int64(literal) { return exact }
        guard let double = Double(literal), double.isFinite else { return nil }
        return Int64(exactly: double.rounded(.down))
    }

    /// A response body that is either the bare spec or `{"items":[spec, …]}`.
    public static func list(from bytes: [UInt8]) throws(RemoteSpecError) -> [RemoteSpec] {
        let document: JSONValue
        do { document = try JSONParser().parse(bytes) } catch {
            throw RemoteSpecError(reason: "the body is not JSON (\(error))")
        }
        return try list(from: document)
    }

    /// The same for a body already parsed (a listing page, whose next link is read from it too).
    public static func list(from document: JSONValue) throws(RemoteSpecError) -> [RemoteSpec] {
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
