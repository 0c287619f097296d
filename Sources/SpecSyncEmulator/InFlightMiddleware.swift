import Hummingbird

/// Tracks Flow Service requests in flight (latency included) and when each started, for
/// `maxConcurrentRequests` and `requestStartsPerSecond`.
struct InFlightMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let store: SpecStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await store.flowServiceRequestStarted()
        do {
            let response = try await next(request, context)
            await store.flowServiceRequestFinished()
            return response
        } catch {
            await store.flowServiceRequestFinished()
            throw error
        }
    }
}
