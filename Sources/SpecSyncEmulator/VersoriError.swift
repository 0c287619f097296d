import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// Versori's documented `Error`: `{"code","message","fields":[{"field","message"}]}`, `fields` only
/// when a request member is to blame.
struct VersoriError: Error, Sendable, Equatable {
    /// One documented `ErrorField`; `field` is a path such as "variables[1].name".
    struct Field: Sendable, Equatable {
        var field: String
        var message: String
    }

    var status: Int
    var code: String
    var message: String
    var fields: [Field] = []
    var headers = HTTPFields()

    static func == (lhs: VersoriError, rhs: VersoriError) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message && lhs.fields == rhs.fields
    }

    static func notFound(_ message: String) -> VersoriError {
        VersoriError(status: 404, code: "not_found", message: message)
    }

    static func badRequest(_ message: String, fields: [Field] = []) -> VersoriError {
        VersoriError(status: 400, code: "bad_request", message: message, fields: fields)
    }

    static func methodNotAllowed(allowed: [String]) -> VersoriError {
        var error = VersoriError(
            status: 405, code: "method_not_allowed", message: "allowed methods: \(allowed.joined(separator: ", "))")
        error.headers[.allow] = allowed.joined(separator: ", ")
        return error
    }

    var body: JSONValue {
        var object = JSONObject(["code": .string(code), "message": .string(message)])
        if !fields.isEmpty {
            object["fields"] = .array(fields.map { .object(JSONObject(["field": .string($0.field), "message": .string($0.message)])) })
        }
        return .object(object)
    }

    var reply: EmulatorReply {
        var reply = EmulatorReply.json(HTTPResponse.Status(code: status), body)
        for field in headers { reply.headers[field.name] = field.value }
        return reply
    }
}
