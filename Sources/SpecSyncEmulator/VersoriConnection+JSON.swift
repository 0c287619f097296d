import SpecSyncCore
import SpecSyncJSON

extension VersoriConnection {
    /// The documented `Connection`.
    var json: JSONValue {
        .object(JSONObject([
            "id": .string(id),
            "name": .string(name),
            "credentials": credentials,
            "variables": .array(variables.map { .object(JSONObject(["name": .string($0.name), "value": .string($0.value)])) }),
            "createdAt": .string(createdAt),
            "updatedAt": .string(updatedAt),
        ]))
    }

    /// The documented `ConnectionSummary`, as a page lists it.
    var summary: JSONValue {
        .object(JSONObject([
            "id": .string(id), "name": .string(name), "createdAt": .string(createdAt), "updatedAt": .string(updatedAt),
        ]))
    }
}
