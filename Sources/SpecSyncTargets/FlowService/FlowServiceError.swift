import Foundation

/// What Flow Service (or the way to it) said when a request failed, in a form a user can act on:
/// the status, the error code, the message and the request id to quote to Adobe support.
public enum FlowServiceError: Error, Sendable, CustomStringConvertible {
    /// The API answered with an error.
    case api(APIError)
    /// No complete answer after all retries.
    case unreachable(TransportError, attempts: Int)
    /// A non-idempotent request (POST) may or may not have been applied: look before repeating it.
    case outcomeUnknown(method: String, url: String, reason: String)
    /// The answer could not be understood.
    case invalidResponse(method: String, url: String, reason: String)

    public var description: String {
        switch self {
        case .api(let error): error.description
        case .unreachable(let error, let attempts): "\(error.description) (after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
        case .outcomeUnknown(let method, let url, let reason): "\(method) \(url): no answer (\(reason)); the request may have been applied"
        case .invalidResponse(let method, let url, let reason): "\(method) \(url): unexpected answer: \(reason)"
        }
    }

    /// The status when the API answered.
    public var status: Int? {
        if case .api(let error) = self { return error.status }
        return nil
    }
}

/// An error answer in either of Flow Service's two shapes.
public struct APIError: Sendable, Equatable, CustomStringConvertible {
    public enum Shape: String, Sendable { case gateway, platform, unknown }

    public let method: String
    public let url: String
    public let status: Int
    /// "401013" (gateway) or "FLOW-1101-404" (platform).
    public let code: String?
    public let message: String
    public let requestID: String?
    public let shape: Shape

    public var description: String {
        var text = "\(method) \(url): HTTP \(status)"
        if let code { text += " \(code)" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " (request id \(requestID))" }
        return text
    }

    /// Parses `{"error_code","message"}` (gateway) or `{"type","title","status","report":{…}}` (platform).
    public static func parse(method: String, url: String, response: TransportResponse) -> APIError {
        let headerRequestID = response.header("x-request-id")
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return APIError(method: method, url: url, status: response.status, code: nil, message: text,
                            requestID: headerRequestID, shape: .unknown)
        }
        if let code = object["error_code"] {
            return APIError(method: method, url: url, status: response.status, code: "\(code)",
                            message: object["message"] as? String ?? "", requestID: headerRequestID, shape: .gateway)
        }
        if let type = object["type"] as? String {
            let report = object["report"] as? [String: Any]
            let detail = report?["detailed-message"] as? String
            let title = object["title"] as? String
            let message = [title, detail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return APIError(method: method, url: url, status: response.status,
                            code: type.split(separator: "/").last.map(String.init),
                            message: message, requestID: report?["request-id"] as? String ?? headerRequestID, shape: .platform)
        }
        let message = (object["message"] ?? object["title"] ?? object["error"]).map { "\($0)" } ?? ""
        return APIError(method: method, url: url, status: response.status, code: nil, message: message,
                        requestID: headerRequestID, shape: .unknown)
    }
}
