#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

/// What a target's API (or the way to it) said when a request failed, in a form a user can act on:
/// the status, the error code, the message and the request id to quote to the vendor's support.
public enum RequestError: Error, Sendable, CustomStringConvertible {
    /// The API answered with an error.
    case api(APIError)
    /// No complete answer after all retries.
    case unreachable(TransportError, attempts: Int)
    /// A non-idempotent request (POST) may or may not have been applied: look before repeating it.
    case outcomeUnknown(method: String, url: String, reason: String)
    /// The answer could not be understood.
    case invalidResponse(method: String, url: String, reason: String)
    /// The API asked for a pause (`Retry-After`) longer than specsync waits within a pass.
    case retryAfterTooLong(APIError, requested: Duration, limit: Duration)

    /// Known secrets (a server's echo of a credential included) read "(sensitive)".
    public var description: String {
        SecretRegistry.shared.redact(text)
    }

    private var text: String {
        switch self {
        case .api(let error): error.description
        case .unreachable(let error, _) where error.isPermanent: "\(error.description) (not retried: trying again cannot change it)"
        case .unreachable(let error, let attempts): "\(error.description) (after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
        case .outcomeUnknown(let method, let url, let reason): "\(method) \(url): no answer (\(reason)); the request may have been applied"
        case .invalidResponse(let method, let url, let reason): "\(method) \(url): unexpected answer: \(reason)"
        case .retryAfterTooLong(let error, let requested, let limit):
            "\(error.description); the server asked to wait \(Self.seconds(requested)) before trying again, longer than the \(Self.seconds(limit)) specsync waits, so it was not retried: the next pass tries again"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds) s"
    }

    /// The status when the API answered.
    public var status: Int? {
        switch self {
        case .api(let error), .retryAfterTooLong(let error, _, _): error.status
        default: nil
        }
    }
}

/// An error answer: Flow Service's two shapes, Versori's `{code, message, fields}`, or an empty
/// body (Flxpoint documents none), which the target explains.
public struct APIError: Sendable, Equatable, CustomStringConvertible {
    public enum Shape: String, Sendable { case gateway, platform, coded, empty, unknown }

    public let method: String
    public let url: String
    public let status: Int
    /// "401013" (gateway) or "FLOW-1101-404" (platform).
    public let code: String?
    public let message: String
    public let requestID: String?
    public let shape: Shape

    /// The server's words included, known secrets hidden: an API that echoes a header is not a leak.
    public var description: String {
        var text = "\(method) \(url): HTTP \(status)"
        if let code { text += " \(code)" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " (request id \(requestID))" }
        return SecretRegistry.shared.redact(text)
    }

    /// Parses `{"error_code","message"}` (gateway), `{"type","title","status","report":{…}}`
    /// (platform) or `{"code","message","fields"}` (Versori). An empty body takes `emptyBodyMessage`
    /// for its status, so a bare 401 or 404 still says what it means for this API.
    public static func parse(
        method: String, url: String, response: TransportResponse, emptyBodyMessage: (Int) -> String? = { _ in nil }
    ) -> APIError {
        let headerRequestID = response.header("x-request-id")
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return APIError(method: method, url: url, status: response.status, code: nil,
                            message: emptyBodyMessage(response.status) ?? "no error body", requestID: headerRequestID, shape: .empty)
        }
        guard let object = (try? JSONParser().parse(response.body))?.objectValue else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingWhitespaceAndNewlines()
            return APIError(method: method, url: url, status: response.status, code: nil, message: text,
                            requestID: headerRequestID, shape: .unknown)
        }
        if let code = object["error_code"] {
            return APIError(method: method, url: url, status: response.status, code: code.displayText,
                            message: object["message"]?.stringValue ?? "", requestID: headerRequestID, shape: .gateway)
        }
        if let type = object["type"]?.stringValue {
            let report = object["report"]?.objectValue
            let detail = report?["detailed-message"]?.stringValue
            let title = object["title"]?.stringValue
            let message = [title, detail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return APIError(method: method, url: url, status: response.status,
                            code: type.split(separator: "/").last.map(String.init),
                            message: message, requestID: report?["request-id"]?.stringValue ?? headerRequestID, shape: .platform)
        }
        if let code = object["code"]?.stringValue, let message = object["message"]?.stringValue {
            let fields = (object["fields"]?.arrayValue ?? []).compactMap { field -> String? in
                guard let name = field.objectValue?["field"]?.stringValue, let text = field.objectValue?["message"]?.stringValue else { return nil }
                return "\(name): \(text)"
            }
            return APIError(method: method, url: url, status: response.status, code: code,
                            message: ([message] + fields).joined(separator: "; "), requestID: headerRequestID, shape: .coded)
        }
        let message = (object["message"] ?? object["title"] ?? object["error"])?.displayText ?? ""
        return APIError(method: method, url: url, status: response.status, code: nil, message: message,
                        requestID: headerRequestID, shape: .unknown)
    }
}
