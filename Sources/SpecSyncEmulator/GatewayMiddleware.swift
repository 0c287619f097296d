import HTTPTypes
import Hummingbird

/// Adobe's API gateway in front of one Flow Service resource: `Gateway`'s checks, answered in the
/// gateway's or the platform's shape before the service sees the request.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let gateway: Gateway
    /// The methods that take a body on this resource; for others the content type is not checked,
    /// so the resource answers 405 rather than 415.
    let takesBody: Set<HTTPRequest.Method>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let checked = try await EmulatorRequest(request, context: context)
        if let error = await gateway.check(checked, takesBody: takesBody.contains(request.method)) {
            return error.reply(requestID: context.requestID).response
        }
        return try await next(request, context)
    }
}
