import Hummingbird
import NIOCore
import SpecSyncCore

/// Hands each request of the sample API to its routes, as values.
struct SampleAPIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let routes: SampleAPIRoutes

    func respond(to request: Request, context: Context) async throws -> Response {
        let segments = request.uri.path.split(separator: "/").map { PercentDecoding.decode($0, plusAsSpace: false) }
        let query = request.uri.query.map(PercentDecoding.pairs) ?? []
        let reply = routes.answer(
            method: request.method, segments: segments, query: query,
            authorization: request.headers[.authorization], host: request.head.authority)
        return reply.response
    }
}
