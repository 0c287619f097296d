import Hummingbird

/// What no route claims: Hummingbird's not-found, which only the router's own middleware sees
/// (a group's middleware runs for its routes only), answered by `answer` instead of an empty 404.
struct UnknownPathMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let answer: @Sendable (Request, Context) async throws -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return try await answer(request, context)
        }
    }
}
