/// What happens to one Flow Service request.
enum FaultDecision: Sendable, Equatable {
    case none
    /// Answer 429 without applying the request.
    case throttle(retryAfterSeconds: Int)
    /// Answer 5xx without applying the request; `platformBody` false means an empty body, as a
    /// load balancer in front of the service would send.
    case serverError(status: Int, platformBody: Bool)
    /// Apply the request, then close the connection instead of answering.
    case drop
    /// Hold the write this long, then apply it and answer, even when its client has gone.
    case late(Duration)
}
