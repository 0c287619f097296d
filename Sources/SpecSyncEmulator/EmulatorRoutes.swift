import Hummingbird

/// Everything the emulator answers, as one Hummingbird router: a request id and the unknown-path
/// answer for every request, then one group per API, each API's resources in its own file and
/// behind its own middleware (`MiddlewareStacks`).
struct EmulatorRoutes: Sendable {
    let stacks: MiddlewareStacks
    let store: SpecStore
    let ims: IMSRoutes
    let flowService: FlowServiceRoutes
    let flxpoint: FlxpointRoutes
    let versori: VersoriRoutes
    let control: ControlRoutes

    init(
        configuration: EmulatorConfiguration, store: SpecStore, flxpointStore: FlxpointStore, versoriStore: VersoriStore,
        tokens: TokenRegistry, faults: FaultInjector, verificationStore: VerificationStore
    ) {
        self.store = store
        stacks = MiddlewareStacks(store: store, faults: faults, latency: configuration.latency)
        ims = IMSRoutes(configuration: configuration, tokens: tokens, store: store)
        flowService = FlowServiceRoutes(
            store: store, gateway: Gateway(configuration: configuration, tokens: tokens),
            connectionSpecs: ConnectionSpecRoutes(configuration: configuration, store: store),
            flowSpecs: FlowSpecRoutes(configuration: configuration, store: store),
            verification: VerificationRoutes(configuration: configuration, specs: store, store: verificationStore))
        flxpoint = FlxpointRoutes(configuration: configuration, store: flxpointStore)
        versori = VersoriRoutes(configuration: configuration, store: versoriStore)
        control = ControlRoutes(
            configuration: configuration, store: store, flxpointStore: flxpointStore, versoriStore: versoriStore,
            faults: faults, verificationStore: verificationStore)
    }

    func router() -> Router<EmulatorRequestContext> {
        let router = Router(context: EmulatorRequestContext.self)
        // Router-wide middleware first: it applies only to routes added after it.
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: UnknownPathMiddleware(answer: unknownPath))
        ims.add(to: router, stacks: stacks)
        flowService.add(to: router, stacks: stacks)
        flxpoint.add(to: router, stacks: stacks)
        versori.add(to: router, stacks: stacks)
        control.add(to: router)
        return router
    }

    /// Outside every API: counted as "unknown", and the platform's 404 naming where Flow Service is.
    private var unknownPath: @Sendable (Request, EmulatorRequestContext) async throws -> Response {
        let statistics = StatisticsMiddleware(store: store, kind: "unknown", countsWrites: false)
        return { request, context in
            try await statistics.handle(request, context: context) { request, context in
                try await BodyLimitMiddleware().handle(request, context: context) { request, context in
                    EmulatorError.platform(
                        status: 404, code: "FLOW-1000-404", title: "Not found",
                        detail: "No API at \(request.uri.path); Flow Service lives under /data/foundation/flowservice."
                    ).reply(requestID: context.requestID).response
                }
            }
        }
    }
}
