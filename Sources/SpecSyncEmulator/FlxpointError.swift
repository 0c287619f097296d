import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// A Flxpoint failure. Flxpoint documents no error bodies, so 401, 404, 405, 429 and 5xx answer
/// with none; only our 400 carries `{"message"}` (a shape of our choosing) so a client bug is readable.
struct FlxpointError: Error, Sendable {
    var status: Int
    var message: String?
    var headers = HTTPFields()

    static let unauthorized = FlxpointError(status: 401)
    static let notFound = FlxpointError(status: 404)

    static func badRequest(_ message: String) -> FlxpointError {
        FlxpointError(status: 400, message: message)
    }

    static func methodNotAllowed(allowed: [String]) -> FlxpointError {
        var error = FlxpointError(status: 405)
        error.headers[.allow] = allowed.joined(separator: ", ")
        return error
    }

    var reply: EmulatorReply {
        var reply = message.map {
            EmulatorReply.json(HTTPResponse.Status(code: status), .object(JSONObject(["message": .string($0)])))
        } ?? .empty(HTTPResponse.Status(code: status))
        for field in headers { reply.headers[field.name] = field.value }
        return reply
    }
}
