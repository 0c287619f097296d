import Hummingbird

/// A route's handler as Hummingbird calls it: the request read into an `EmulatorRequest`, the
/// reply turned into a response. Handlers are values in, values out, so they never see the transport.
struct EmulatorEndpoint: HTTPResponder {
    typealias Context = EmulatorRequestContext
    typealias Handler = @Sendable (EmulatorRequest) async -> EmulatorReply

    let handler: Handler

    /// A handler that may fail with its API's error, which `answer` turns into that API's reply.
    static func catching<Failure: Error>(
        _ handler: @escaping @Sendable (EmulatorRequest) async throws(Failure) -> EmulatorReply,
        answer: @escaping @Sendable (Failure, EmulatorRequest) -> EmulatorReply
    ) -> Handler {
        { request in
            do throws(Failure) { return try await handler(request) } catch { return answer(error, request) }
        }
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        await handler(try await EmulatorRequest(request, context: context)).response
    }
}
