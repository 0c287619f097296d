import Hummingbird

/// Reads the whole body before any check sees the request, refusing one larger than the limit
/// with the platform's 413; routes then read the collected buffer.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    /// Specs are a few kilobytes; anything near this is a client bug worth a clear answer.
    static let maximumBodySize = 8 << 20

    var maximumBodySize = Self.maximumBodySize
    /// The answer to a larger body, given the request id: the platform's 413 unless told otherwise.
    var refusal: @Sendable (_ maximumBodySize: Int, _ requestID: String) -> EmulatorReply = { maximum, requestID in
        EmulatorError.platform(
            status: 413, code: "FLOW-1108-413", title: "Payload too large",
            detail: "The request body exceeds \(maximum) bytes."
        ).reply(requestID: requestID)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        do {
            _ = try await request.collectBody(upTo: maximumBodySize)
        } catch {
            return refusal(maximumBodySize, context.requestID).response
        }
        return try await next(request, context)
    }
}
