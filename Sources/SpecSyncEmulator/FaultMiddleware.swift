import Hummingbird

/// What the real network adds: throttling, server errors, lost answers and late writes, drawn
/// from the `FaultInjector` for each request and answered in the shape of the API asked.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let faults: FaultInjector
    let api: EmulatedAPI

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision = await faults.decide(isWrite: request.method == .post || request.method == .put)
        switch decision {
        case .throttle(let retryAfter):
            return api.throttled(retryAfterSeconds: retryAfter, requestID: context.requestID).response
        case .serverError(let status, let platformBody):
            return api.serverError(status: status, platformBody: platformBody, requestID: context.requestID).response
        case .late(let delay):
            // The wait is an unstructured task, so it runs to the end even when the connection's
            // task is cancelled because the client went away; the write is then applied regardless.
            await Task { try? await Task.sleep(for: delay) }.value
            return try await next(request, context)
        case .drop:
            throw LostAnswer(response: try await next(request, context))
        case .none:
            return try await next(request, context)
        }
    }
}
