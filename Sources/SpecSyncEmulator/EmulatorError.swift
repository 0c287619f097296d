import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// The two error shapes Adobe answers with, so clients are tested against both: the API gateway's
/// `{"error_code","message"}` (authentication, keys, throttling) and Flow Service's own
/// `{"type","title","status","report":{"detailed-message","request-id"}}`.
enum EmulatorError: Error, Sendable, Equatable {
    case gateway(status: Int, code: String, message: String)
    /// `code` is the `FLOW-NNNN-SSS` part of the type URI.
    case platform(status: Int, code: String, title: String, detail: String)
    /// A platform-shaped 405 whose answer also carries `Allow` (RFC 9110 requires it).
    case methodNotAllowed(allowed: [String], detail: String)

    static func notFound(_ what: String, id: String) -> EmulatorError {
        .platform(
            status: 404, code: "FLOW-1101-404", title: "Resource not found",
            detail: "No \(what) found with id \(id) in sandbox; check the id and the x-sandbox-name header.")
    }

    static func badRequest(_ detail: String, code: String = "FLOW-1103-400") -> EmulatorError {
        .platform(status: 400, code: code, title: "Bad request", detail: detail)
    }

    var status: Int {
        switch self {
        case .gateway(let status, _, _), .platform(let status, _, _, _): status
        case .methodNotAllowed: 405
        }
    }

    func body(requestID: String) -> JSONValue {
        switch self {
        case .gateway(_, let code, let message):
            return .object(JSONObject(["error_code": .string(code), "message": .string(message)]))
        case .platform(let status, let code, let title, let detail):
            return .object(JSONObject([
                "type": .string("https://ns.adobe.com/aep/errors/\(code)"),
                "title": .string(title),
                "status": .number(String(status)),
                "report": .object(JSONObject([
                    "detailed-message": .string(detail),
                    "request-id": .string(requestID),
                ])),
            ]))
        case .methodNotAllowed(_, let detail):
            return EmulatorError.platform(status: 405, code: "FLOW-1106-405", title: "Method not allowed", detail: detail)
                .body(requestID: requestID)
        }
    }

    func reply(requestID: String) -> EmulatorReply {
        var reply = EmulatorReply.json(HTTPResponse.Status(code: status), body(requestID: requestID))
        if case .methodNotAllowed(let allowed, _) = self { reply.headers[.allow] = allowed.joined(separator: ", ") }
        return reply
    }
}
