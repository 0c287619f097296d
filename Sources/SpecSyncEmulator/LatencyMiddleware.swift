import Hummingbird

/// The configured network latency, added before the fault decision and the service.
struct LatencyMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let latency: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
        return try await next(request, context)
    }
}
