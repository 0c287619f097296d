#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// Names every request (the client's `x-request-id`, or a new one) and stamps that name on every
/// answer, as Adobe's APIs do; platform error bodies quote it too.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = request.headers[.xRequestID].flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.requestID
        return response
    }
}
