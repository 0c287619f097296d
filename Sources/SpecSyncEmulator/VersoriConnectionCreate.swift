import SpecSyncCore
import SpecSyncJSON

/// A checked `ConnectionCreate`: `name`, `credentials` and `variables` are all required.
struct VersoriConnectionCreate: Sendable, Equatable {
    var name: String
    var credentials: JSONValue
    var variables: [VersoriConnection.Variable]

    init(name: String, credentials: JSONValue, variables: [VersoriConnection.Variable]) {
        self.name = name
        self.credentials = credentials
        self.variables = variables
    }

    init(validating bytes: [UInt8]) throws(VersoriError) {
        var body = try VersoriBody(bytes, allowed: ["name", "credentials", "variables"])
        name = body.requiredString("name")
        credentials = body.credentials(required: true) ?? .object(JSONObject())
        variables = body.variables(required: true) ?? []
        try body.finish()
    }
}
