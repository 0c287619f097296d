import SpecSyncCore
import SpecSyncJSON

/// The fields Flow Service owns on every spec, and how a stored spec is assembled from a request
/// body: server fields first (as the documented responses show them), then the body as sent.
struct ServerFields: Sendable {
    /// Never accepted in a request body; a client that sends them back has not stripped a GET.
    static let owned: [String] = [
        "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
        "sandboxId", "sandboxName", "imsOrgId", "etag",
    ]

    /// Added to connection specs whose body does not bring its own, shaped like the docs' example.
    static let connectionSpecPermissions: JSONValue = permissions(name: "EnterpriseSource")

    static func permissions(name: String) -> JSONValue {
        func entry(_ permission: String) -> JSONValue {
            .array([.object(JSONObject([
                "@type": .string("lowLevel"),
                "name": .string(name),
                "permissions": .array([.string(permission)]),
            ]))])
        }
        return .object(JSONObject(["manage": entry("write"), "view": entry("read")]))
    }

    let orgID: String
    let sandboxName: String
    let sandboxID: String

    /// Who did a write: a client id, shown as `<client>@AdobeID` in the *By fields.
    struct Actor: Sendable {
        var user: String
        var client: String

        init(clientID: String) {
            user = "\(clientID)@AdobeID"
            client = clientID
        }

        init(user: String, client: String) {
            self.user = user
            self.client = client
        }
    }

    /// The stored document: `body` with the server's fields put in front of it. `created` carries
    /// the creation time and creator over from the previous version on a replacement.
    func stamp(
        _ body: JSONObject, id: String, created: (at: Int64, by: Actor), updated: (at: Int64, by: Actor),
        defaultPermissions: JSONValue?
    ) -> JSONValue {
        var stored = JSONObject()
        stored["id"] = .string(id)
        stored["createdAt"] = .number(String(created.at))
        stored["updatedAt"] = .number(String(updated.at))
        stored["createdBy"] = .string(created.by.user)
        stored["updatedBy"] = .string(updated.by.user)
        stored["createdClient"] = .string(created.by.client)
        stored["updatedClient"] = .string(updated.by.client)
        stored["sandboxId"] = .string(sandboxID)
        stored["sandboxName"] = .string(sandboxName)
        stored["imsOrgId"] = .string(orgID)
        for (key, value) in body.members where !ServerFields.owned.contains(key) {
            stored[key] = value
        }
        if let defaultPermissions, !stored.contains("permissionsInfo") {
            stored["permissionsInfo"] = defaultPermissions
        }
        return .object(stored)
    }

    /// Reads back the creation fields of a stored document, for a replacement to keep them.
    static func creation(of stored: JSONValue) -> (at: Int64, by: Actor) {
        let object = stored.objectValue ?? JSONObject()
        let at: Int64 = if case .number(let literal)? = object["createdAt"] { Int64(literal) ?? 0 } else { 0 }
        let user = object["createdBy"]?.stringValue ?? ""
        let client = object["createdClient"]?.stringValue ?? ""
        return (at, Actor(user: user, client: client))
    }
}
