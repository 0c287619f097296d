import HTTPTypes
import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// Flxpoint's `/connections` and `/connections/{id}`: list, create, read, full replacement, behind
/// the `X-API-TOKEN` check. There is no documented DELETE, so there is none here either.
struct FlxpointRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: FlxpointStore

    private var presentation: FlxpointPresentation {
        FlxpointPresentation(secretMarkers: configuration.flxpointSecretHandleMarkers)
    }

    static let tokenHeader = HTTPField.Name("X-API-TOKEN")!

    /// The token a request presents, empty when none: what the rate limit is keyed by.
    static func token(of headers: HTTPFields) -> String {
        headers[tokenHeader] ?? ""
    }

    /// Under `/flxpoint`: rate-limited per token as requests arrive, then delayed and faulted, then
    /// the token checked; any other path there is a 404 once the token passes.
    func add(to router: Router<EmulatorRequestContext>, stacks: MiddlewareStacks) {
        let base = router.group("flxpoint")
        func resource(_ path: RouterPath, kind: String) -> MiddlewareStacks.Group {
            let counted = stacks.counted(base.group(path), kind: kind)
                .add(middleware: FlxpointRateLimitMiddleware(store: stacks.store))
            return stacks.network(counted, api: .flxpoint)
                .add(middleware: FlxpointTokenMiddleware(tokens: configuration.flxpointTokens))
        }
        resource("connections", kind: "flxpointConnections").resource(
            methods: [.get: Self.answer(list), .post: Self.answer(create)], otherwise: Self.notAllowed(["GET", "POST"]))
        resource("connections/{id}", kind: "flxpointConnection").resource(
            methods: [.get: Self.answer(read), .put: Self.answer(replace)], otherwise: Self.notAllowed(["GET", "PUT"]))
        resource("", kind: "unknown").remainder { _ in FlxpointError.notFound.reply }
    }

    static func answer(
        _ handler: @escaping @Sendable (EmulatorRequest) async throws(FlxpointError) -> EmulatorReply
    ) -> EmulatorEndpoint.Handler {
        EmulatorEndpoint.catching(handler) { error, _ in error.reply }
    }

    static func notAllowed(_ allowed: [String]) -> EmulatorEndpoint.Handler {
        { _ in FlxpointError.methodNotAllowed(allowed: allowed).reply }
    }

    @Sendable func list(_ request: EmulatorRequest) async throws(FlxpointError) -> EmulatorReply {
        .json(.ok, .array(await store.connections().map(presentation.present)))
    }

    @Sendable func create(_ request: EmulatorRequest) async throws(FlxpointError) -> EmulatorReply {
        let body = try FlxpointConnectionBody(validating: request.body)
        return .json(.ok, presentation.present(await store.create(body)))
    }

    @Sendable func read(_ request: EmulatorRequest) async throws(FlxpointError) -> EmulatorReply {
        guard let stored = await store.connection(id: try Self.id(request)) else { throw .notFound }
        return .json(.ok, presentation.present(stored))
    }

    @Sendable func replace(_ request: EmulatorRequest) async throws(FlxpointError) -> EmulatorReply {
        let id = try Self.id(request)
        let body = try FlxpointConnectionBody(validating: request.body)
        guard let stored = await store.replace(id: id, with: body) else { throw .notFound }
        return .json(.ok, presentation.present(stored))
    }

    /// Ids are integers; "abc" or "1.5" cannot name a connection.
    private static func id(_ request: EmulatorRequest) throws(FlxpointError) -> Int {
        guard let id = request.parameters["id"].flatMap({ Int($0) }) else { throw .notFound }
        return id
    }
}
