import Hummingbird

/// A route's handler as Hummingbird calls it: the request read into an `EmulatorRequest`, the
/// reply turned into a response. Handlers are values in, values out, so they never see the transport.
struct EmulatorEndpoint: HTTPResponder {
    typealias Context = EmulatorRequestContext
    typealias Handler = @Sendable (EmulatorRequest) async -> EmulatorReply

    let handler: Handler

    func respond(to request: Request, context: Context) async throws -> Response {
        await handler(try await EmulatorRequest(request, context: context)).response
    }
}
