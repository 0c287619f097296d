import Hummingbird

/// After the key, Versori checks the path's organisation, then its connector, before the method.
struct VersoriScopeMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let organisation: String
    /// nil: any connector exists.
    let connectors: Set<String>?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let asked = PercentDecoding.decode(context.parameters.get("organisation") ?? "", plusAsSpace: false)
        let connector = PercentDecoding.decode(context.parameters.get("connector") ?? "", plusAsSpace: false)
        guard asked == organisation else {
            return VersoriError.notFound("organisation \(asked) not found").reply.response
        }
        if let connectors, !connectors.contains(connector) {
            return VersoriError.notFound("connector \(connector) not found").reply.response
        }
        return try await next(request, context)
    }
}
