import Hummingbird

/// Flxpoint's per-token rate limit, which sees each request as it arrives, before any latency:
/// over the limit is a 429 with `Retry-After` and no body.
struct FlxpointRateLimitMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let store: SpecStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let retryAfter = await store.flxpointRequestArrived(token: FlxpointRoutes.token(of: request.headers)) {
            var reply = EmulatorReply.empty(.tooManyRequests)
            reply.headers[.retryAfter] = String(retryAfter)
            return reply.response
        }
        return try await next(request, context)
    }
}
