import SpecSyncCore
import SpecSyncJSON

/// A checked `ConnectionUpdate`. `id` and `name` are required; `credentials` and `variables` are
/// tri-state as documented: absent keeps what is stored, `[]` deletes all variables, a list replaces.
struct VersoriConnectionUpdate: Sendable, Equatable {
    var name: String
    var credentials: JSONValue?
    var variables: [VersoriConnection.Variable]?

    /// `pathID` is the id in the URL; the body's `id` must name the same connection.
    init(validating bytes: [UInt8], pathID: String) throws(VersoriError) {
        var body = try VersoriBody(bytes, allowed: ["id", "name", "credentials", "variables"])
        let id = body.requiredString("id")
        if !id.isEmpty, id != pathID {
            body.problems.append(.init(field: "id", message: "must equal the connection id in the path (\(pathID)), got \(id)"))
        }
        name = body.requiredString("name")
        credentials = body.credentials(required: false)
        variables = body.variables(required: false)
        try body.finish()
    }
}
