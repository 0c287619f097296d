import Hummingbird

/// The APIs the network faults apply to, and how each answers a fault: Adobe's gateway or
/// platform shape, none at all for Flxpoint, Versori's `Error`.
enum EmulatedAPI: Sendable {
    case flowService, flxpoint, versori

    func throttled(retryAfterSeconds: Int, requestID: String) -> EmulatorReply {
        var reply: EmulatorReply = switch self {
        case .flowService:
            EmulatorError.gateway(status: 429, code: "429001", message: "Too many requests").reply(requestID: requestID)
        case .flxpoint:
            .empty(.tooManyRequests)
        case .versori:
            VersoriError(status: 429, code: "too_many_requests", message: "rate limit exceeded; retry later").reply
        }
        reply.headers[.retryAfter] = String(retryAfterSeconds)
        return reply
    }

    /// `platformBody` false: an empty body, as a load balancer in front of Flow Service would send.
    func serverError(status: Int, platformBody: Bool, requestID: String) -> EmulatorReply {
        let title = [502: "Bad gateway", 503: "Service unavailable", 504: "Gateway timeout"][status] ?? "Server error"
        switch self {
        case .flowService where platformBody:
            return EmulatorError.platform(
                status: status, code: "FLOW-1500-\(status)", title: title,
                detail: "The service is temporarily unavailable; retry with backoff."
            ).reply(requestID: requestID)
        case .flowService, .flxpoint:
            return .empty(HTTPResponse.Status(code: status))
        case .versori:
            let code = [502: "bad_gateway", 503: "unavailable", 504: "gateway_timeout"][status] ?? "internal"
            return VersoriError(status: status, code: code, message: title.lowercased()).reply
        }
    }
}
