import HTTPTypes
import Hummingbird

/// Flow Service under `/data/foundation/flowservice`: connection specs, flow specs and the
/// verification chain, each resource behind the gateway, latency and faults, and any other path
/// there still behind them before its 404.
struct FlowServiceRoutes: Sendable {
    typealias Group = RouterGroup<EmulatorRequestContext>

    let store: SpecStore
    let gateway: Gateway
    let connectionSpecs: ConnectionSpecRoutes
    let flowSpecs: FlowSpecRoutes
    let verification: VerificationRoutes

    func add(to router: Router<EmulatorRequestContext>, stacks: MiddlewareStacks) {
        let base = router.group("data/foundation/flowservice")
        /// `takesBody`: the methods with a JSON body on this resource (the gateway checks their content type).
        func resource(_ path: RouterPath, kind: String, takesBody: Set<HTTPRequest.Method> = []) -> Group {
            let counted = stacks.counted(base.group(path), kind: kind, countsWrites: true)
                .add(middleware: InFlightMiddleware(store: store))
            return stacks.network(counted, api: .flowService)
                .add(middleware: RateLimitMiddleware(store: store))
                .add(middleware: GatewayMiddleware(gateway: gateway, takesBody: takesBody))
        }

        resource("connectionSpecs", kind: "connectionSpecs", takesBody: [.post]).resource(
            methods: [.get: Self.answer(connectionSpecs.list), .post: Self.answer(connectionSpecs.create)],
            otherwise: Self.notAllowed(["GET", "POST"], "/connectionSpecs"))
        resource("connectionSpecs/{id}", kind: "connectionSpec", takesBody: [.put]).resource(
            methods: [.get: Self.answer(connectionSpecs.read), .put: Self.answer(connectionSpecs.replace)],
            otherwise: Self.notAllowed(["GET", "PUT"], "/connectionSpecs/{id}"))
        resource("flowSpecs", kind: "flowSpecs").resource(
            methods: [.get: Self.answer(flowSpecs.list)], otherwise: Self.notAllowed(["GET"], "/flowSpecs"))
        resource("flowSpecs/{id}", kind: "flowSpec", takesBody: [.put]).resource(
            methods: [.get: Self.answer(flowSpecs.read), .put: Self.answer(flowSpecs.replace)],
            otherwise: Self.notAllowed(["GET", "PUT"], "/flowSpecs/{id}"))

        // The verification chain answers every method itself: its steps can be held (see
        // `VerificationStore.Settings.delayMilliseconds`) whatever the method.
        let verify = Self.answer { request throws(EmulatorError) in
            try await verification.handle(request, path: Array(request.segments.dropFirst(3)))
        }
        for collection in VerificationStore.Collection.allCases.map(\.rawValue) {
            resource(RouterPath(collection), kind: collection, takesBody: [.post]).resource(otherwise: verify)
            resource(RouterPath("\(collection)/{id}"), kind: "\(collection)/id").resource(otherwise: verify)
        }
        for action in ["test", "explore"] {
            resource(RouterPath("connections/{id}/\(action)"), kind: "connections/\(action)").resource(otherwise: verify)
        }

        resource("", kind: "unknown").remainder(Self.answer { _ throws(EmulatorError) in throw VerificationRoutes.noRoute })
    }

    /// A handler that may fail with a platform or gateway error, answered in its shape.
    static func answer(
        _ handler: @escaping @Sendable (EmulatorRequest) async throws(EmulatorError) -> EmulatorReply
    ) -> EmulatorEndpoint.Handler {
        EmulatorEndpoint.catching(handler) { error, request in error.reply(requestID: request.requestID) }
    }

    static func notAllowed(_ allowed: [String], _ path: String) -> EmulatorEndpoint.Handler {
        { request in MethodNotAllowed.error(request.method, allowed: allowed, path: path).reply(requestID: request.requestID) }
    }
}
