import Hummingbird
import NIOCore

/// Closes the connection of a request whose answer a fault lost, before anything is written: the
/// client must see a transport error, not a status line followed by a short body that a careless
/// client might take as success. Outermost of an API's middleware, so the request is counted first.
struct LostAnswerMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let lost as LostAnswer {
            try? await context.channel.close(mode: .all)
            return lost.response
        }
    }
}
