import Hummingbird

/// Flow Service's rate limit (`EmulatorConfiguration.rateLimit`): a request over it is answered 429
/// with `Retry-After` in the gateway's shape, and is not applied. It sits after the latency, so a
/// refusal takes a round trip like any other answer, as a real gateway's does.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let store: SpecStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let retryAfter = await store.flowServiceRequestArrived() {
            return EmulatedAPI.flowService.throttled(retryAfterSeconds: retryAfter, requestID: context.requestID).response
        }
        return try await next(request, context)
    }
}
