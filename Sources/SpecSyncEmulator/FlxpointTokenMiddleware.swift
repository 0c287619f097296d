import Hummingbird

/// Flxpoint's `X-API-TOKEN` check: an unknown or missing token is a 401 with no body.
struct FlxpointTokenMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let tokens: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard tokens.contains(FlxpointRoutes.token(of: request.headers)) else { return FlxpointError.unauthorized.reply.response }
        return try await next(request, context)
    }
}
