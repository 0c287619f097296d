import HTTPTypes
import Hummingbird
import NIOCore
import SpecSyncCore

/// Hands each request of the sample API to its routes, as values.
struct SampleAPIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let routes: SampleAPIRoutes

    static let cursorHeader = HTTPField.Name("X-Cursor")!

    /// Search bodies are a few bytes.
    static let maximumBodySize = 1 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        var buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        let body = buffer.readBytes(length: buffer.readableBytes) ?? []
        let segments = request.uri.path.split(separator: "/").map { PercentDecoding.decode($0, plusAsSpace: false) }
        let query = request.uri.query.map(PercentDecoding.pairs) ?? []
        let reply = routes.answer(
            method: request.method, segments: segments, query: query,
            authorization: request.headers[.authorization], host: request.head.authority,
            cursorHeader: request.headers[Self.cursorHeader], body: body)
        return reply.response
    }
}
